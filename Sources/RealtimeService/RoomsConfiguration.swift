import Foundation
public import MentorLinkCore

/// Room rules with documented defaults.
public struct RoomsConfiguration: Sendable {
    /// Participants may join from 10 minutes before the start…
    public var joinEarly: Duration = .seconds(10 * 60)
    /// …until 30 minutes after the end.
    public var stayLate: Duration = .seconds(30 * 60)
    /// Longest chat message, in characters.
    public var maxMessageLength = 2000
    /// Largest signaling payload, in bytes of JSON.
    public var maxSignalBytes = 16 * 1024
    /// A full mesh (everyone sends video to everyone) works up to this many people in a room; signaling beyond it
    /// is refused with `mesh_full`. A group session that can hold more (its seats and the mentor) goes on the SFU when
    /// there is one.
    public var meshCap = 6
    /// `MENTORLINK_SFU_ALL_GROUPS`: every group session goes on the SFU (when there is one), however small.
    public var sfuAllGroups = false
    /// Where browsers reach the SFU's WebSocket (nginx proxies it to Janus).
    public var sfuURL = "/sfu"
    /// TURN/STUN URLs handed to clients.
    public var turnURLs: [String] = ["stun:127.0.0.1:3478", "turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp"]
    /// coturn's `static-auth-secret` (REST API scheme); empty: no TURN entry.
    public var turnSecret = ""
    /// TURN credentials expire when their room closes, and at most this long after they were handed out (default 3 h).
    public var turnLifetime: Duration = .seconds(3 * 3600)
    /// How often a joined connection's access is checked again (a cancelled seat or the room's closing time ends
    /// its room subscriptions; a removal ends them at once).
    public var membershipRecheck: Duration = .seconds(10)
    /// The clock.
    public var now: @Sendable () -> Instant = { Instant.now }

    /// The defaults.
    public init() {}

    /// Whether `room` goes on the SFU when there is one: a group session bigger than the mesh (its seats and the
    /// mentor), or any group with ``sfuAllGroups``.
    public func usesSFU(_ room: RoomInfo) -> Bool { room.kind == "group" && (sfuAllGroups || Self.people(room) > meshCap) }

    /// How many people the room may hold: the group's seats (or its participants, when the seats are unknown) and the
    /// mentor.
    public static func people(_ room: RoomInfo) -> Int { max(room.participantIds.count, (room.capacity ?? 0) + 1) }

    /// When `room` closes: its end plus ``stayLate``.
    public func closes(_ room: RoomInfo) -> Instant { room.endsAt.adding(seconds: Int(stayLate.components.seconds)) }
}

public import Foundation

/// The names of the pub/sub channels, spelled here only. A channel name is part of the RPC contract: subscribe
/// results and subscription notifications carry it. Ids are lowercase UUIDs.
public enum Channels {
    /// `user:<id>`: a user's notifications (`notifications.subscribe`).
    public static func user(_ id: UUID) -> String { "user:\(id.uuidString.lowercased())" }

    /// `availability:<id>`: `availability.changed` events of a mentor's free slots (`availability.subscribe`).
    public static func availability(mentorId: UUID) -> String { "availability:\(mentorId.uuidString.lowercased())" }

    /// `room:<id>`: a session room's presence, chat, typing and moderation events.
    public static func room(_ id: UUID) -> String { "room:\(id.uuidString.lowercased())" }

    /// `room:<id>:user:<userId>`: the `signal` events meant for one participant of a room only.
    public static func room(_ id: UUID, user: UUID) -> String { "\(room(id)):user:\(user.uuidString.lowercased())" }
}

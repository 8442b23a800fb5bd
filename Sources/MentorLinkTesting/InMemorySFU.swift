public import MentorLinkCore
import Synchronization

/// ``MentorLinkCore/SFUGateway`` in memory: rooms with their allow-lists, participants a test puts in with
/// ``join(room:participant:token:streams:)`` (refused, as Janus would, without an allowed token), kicks and moderation
/// recorded. Tokens are `sfu:<participant>:<expiry>`.
public final class InMemorySFU: SFUGateway {
    /// A room as the fake keeps it.
    public struct Room: Sendable {
        public var spec: SFURoom
        public var allowed: Set<String>
        public var participants: [String: [SFUStream]] = [:]
        /// Muted mids per participant.
        public var muted: [String: Set<String>] = [:]
        /// Whether the SFU records the room.
        public var recording = false
    }

    private let rooms = Mutex<[String: Room]>([:])
    private let kicks = Mutex<[(room: String, participant: String)]>([])
    /// Takes the SFU away: every call throws ``MentorLinkCore/SFUError/unavailable(_:)``, and a restart
    /// (``restart()``) loses every room, as Janus does.
    public let outage = Outage("janus")

    /// No rooms.
    public init() {}

    /// Loses every room (Janus restarted).
    public func restart() { rooms.withLock { $0 = [:] } }

    /// The room as it is now.
    public func room(_ id: String) -> Room? { rooms.withLock { $0[id] } }

    /// Who was kicked from where, in order.
    public var kicked: [(room: String, participant: String)] { kicks.withLock { $0 } }

    /// Puts a participant in a room, as a browser's `join` would: `false` when the room is missing or the token not
    /// on its allow-list.
    @discardableResult public func join(room: String, participant: String, token: String, streams: [SFUStream] = []) -> Bool {
        rooms.withLock { rooms in
            guard rooms[room]?.allowed.contains(token) == true else { return false }
            rooms[room]?.participants[participant] = streams
            return true
        }
    }

    private func up() throws {
        do { try outage.check() } catch { throw SFUError.unavailable(outage.dependency) }
    }

    public func createRoom(_ room: SFURoom) async throws -> Bool {
        try up()
        return rooms.withLock { rooms in
            guard rooms[room.id] == nil else { return false }
            rooms[room.id] = Room(spec: room, allowed: Set(room.allowed))
            return true
        }
    }

    public func destroyRoom(id: String) async throws -> Bool {
        try up()
        return rooms.withLock { $0.removeValue(forKey: id) != nil }
    }

    public func roomExists(id: String) async throws -> Bool {
        try up()
        return rooms.withLock { $0[id] != nil }
    }

    public func listRooms() async throws -> [SFURoomListing] {
        try up()
        return rooms.withLock { $0.map { SFURoomListing(id: $0.key, recording: $0.value.recording) } }
    }

    public func setRecording(room: String, recording: Bool) async throws {
        try up()
        try rooms.withLock { rooms in
            guard rooms[room] != nil else { throw SFUError.notFound("room \(room)") }
            rooms[room]?.recording = recording
        }
    }

    public func allow(room: String, tokens: [String]) async throws {
        try up()
        try rooms.withLock { rooms in
            guard rooms[room] != nil else { throw SFUError.notFound("room \(room)") }
            rooms[room]?.allowed.formUnion(tokens)
        }
    }

    public func revoke(room: String, tokens: [String]) async throws {
        try up()
        try rooms.withLock { rooms in
            guard rooms[room] != nil else { throw SFUError.notFound("room \(room)") }
            rooms[room]?.allowed.subtract(tokens)
        }
    }

    public func participants(room: String) async throws -> [SFUParticipant] {
        try up()
        return try rooms.withLock { rooms in
            guard let found = rooms[room] else { throw SFUError.notFound("room \(room)") }
            return found.participants.map { SFUParticipant(id: $0.key, publishing: !$0.value.isEmpty) }.sorted { $0.id < $1.id }
        }
    }

    public func kick(room: String, participant: String) async throws {
        try up()
        try rooms.withLock { rooms in
            guard rooms[room]?.participants.removeValue(forKey: participant) != nil else {
                throw SFUError.notFound("participant \(participant) in room \(room)")
            }
        }
        kicks.withLock { $0.append((room, participant)) }
    }

    public func streams(room: String, participant: String) async throws -> [SFUStream] {
        try up()
        return try rooms.withLock { rooms in
            guard let streams = rooms[room]?.participants[participant] else { throw SFUError.notFound("participant \(participant) in room \(room)") }
            return streams
        }
    }

    public func moderate(room: String, participant: String, mid: String, mute: Bool) async throws {
        try up()
        try rooms.withLock { rooms in
            guard rooms[room]?.participants[participant]?.contains(where: { $0.mid == mid }) == true else {
                throw SFUError.notFound("participant \(participant) or stream in room \(room)")
            }
            if mute { rooms[room]?.muted[participant, default: []].insert(mid) } else { rooms[room]?.muted[participant]?.remove(mid) }
        }
    }

    public func accessToken(participant: String, expiresAt: Int64) throws -> String {
        guard SFUIdentifier.isValid(participant) else { throw SFUError.invalidIdentifier(participant) }
        return "sfu:\(participant):\(expiresAt)"
    }

    public func health() async throws -> SFUHealth {
        try up()
        return SFUHealth(name: "in-memory SFU", version: "0", accepting: true)
    }
}

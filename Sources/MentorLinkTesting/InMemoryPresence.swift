public import Foundation
public import MentorLinkCore
import Synchronization

/// ``MentorLinkCore/Presence`` in memory: session counts per room and user, and the muted and removed sets.
public final class InMemoryPresence: Presence {
    struct Room {
        var sessions: [UUID: Int] = [:]
        var muted: Set<UUID> = []
        var removed: Set<UUID> = []
    }

    private let rooms = Mutex<[UUID: Room]>([:])
    /// Takes Redis away.
    public let outage = Outage("redis")

    /// Nobody anywhere.
    public init() {}

    public func enter(room: UUID, user: UUID) async throws -> Bool {
        try outage.check()
        return rooms.withLock { rooms in
            rooms[room, default: Room()].sessions[user, default: 0] += 1
            return rooms[room]?.sessions[user] == 1
        }
    }

    public func leave(room: UUID, user: UUID) async throws -> Bool {
        try outage.check()
        return rooms.withLock { rooms in
            let count = (rooms[room]?.sessions[user] ?? 0) - 1
            rooms[room, default: Room()].sessions[user] = count > 0 ? count : nil
            return count <= 0
        }
    }

    public func present(room: UUID) async throws -> [UUID] {
        try outage.check()
        return rooms.withLock { Array(($0[room]?.sessions ?? [:]).keys) }
    }

    public func mute(room: UUID, user: UUID) async throws {
        try outage.check()
        rooms.withLock { _ = $0[room, default: Room()].muted.insert(user) }
    }

    public func remove(room: UUID, user: UUID) async throws {
        try outage.check()
        rooms.withLock { _ = $0[room, default: Room()].removed.insert(user) }
    }

    public func status(room: UUID, user: UUID) async throws -> (muted: Bool, removed: Bool) {
        try outage.check()
        return rooms.withLock { rooms in (rooms[room]?.muted.contains(user) ?? false, rooms[room]?.removed.contains(user) ?? false) }
    }
}

public import Foundation
public import MentorLinkCore

/// ``Presence`` in Redis: a hash of session counts per room, and sets of muted and removed users (kept a day).
public struct RedisPresence: Presence {
    let client: RedisClient

    /// Presence over a client.
    public init(client: RedisClient) { self.client = client }

    static func key(_ room: UUID, _ what: String) -> String { "ml:room:\(room.uuidString.lowercased()):\(what)" }

    public func enter(room: UUID, user: UUID) async throws -> Bool {
        let replies = try await client.pipeline([
            ["HINCRBY", Self.key(room, "presence"), user.uuidString.lowercased(), "1"], ["EXPIRE", Self.key(room, "presence"), "86400"],
        ])
        return replies[0].integer == 1
    }

    public func leave(room: UUID, user: UUID) async throws -> Bool {
        let count = try await client.send("HINCRBY", Self.key(room, "presence"), user.uuidString.lowercased(), "-1").integer ?? 0
        if count <= 0 { _ = try await client.send("HDEL", Self.key(room, "presence"), user.uuidString.lowercased()) }
        return count <= 0
    }

    public func present(room: UUID) async throws -> [UUID] {
        guard case .array(let items?) = try await client.send("HGETALL", Self.key(room, "presence")) else { return [] }
        var users: [UUID] = []
        var index = 0
        while index + 1 < items.count {
            if let user = items[index].string.flatMap(UUID.init(uuidString:)), let count = items[index + 1].string.flatMap(Int.init), count > 0 {
                users.append(user)
            }
            index += 2
        }
        return users
    }

    public func mute(room: UUID, user: UUID) async throws {
        _ = try await client.pipeline([
            ["SADD", Self.key(room, "muted"), user.uuidString.lowercased()], ["EXPIRE", Self.key(room, "muted"), "86400"],
        ])
    }

    public func remove(room: UUID, user: UUID) async throws {
        _ = try await client.pipeline([
            ["SADD", Self.key(room, "removed"), user.uuidString.lowercased()], ["EXPIRE", Self.key(room, "removed"), "86400"],
        ])
    }

    public func status(room: UUID, user: UUID) async throws -> (muted: Bool, removed: Bool) {
        let replies = try await client.pipeline([
            ["SISMEMBER", Self.key(room, "muted"), user.uuidString.lowercased()],
            ["SISMEMBER", Self.key(room, "removed"), user.uuidString.lowercased()],
        ])
        return (replies[0].integer == 1, replies[1].integer == 1)
    }
}

public import Foundation

/// Who is in which room, across workers (Redis behind it), and the mentor's controls.
public protocol Presence: Sendable {
    /// Counts one more session of `user` in the room; returns whether it is the user's first.
    func enter(room: UUID, user: UUID) async throws -> Bool
    /// Counts one session less; returns whether it was the user's last.
    func leave(room: UUID, user: UUID) async throws -> Bool
    /// Users with at least one session in the room.
    func present(room: UUID) async throws -> [UUID]
    /// Mutes a user in a room (they may not send).
    func mute(room: UUID, user: UUID) async throws
    /// Removes a user from a room (they may not rejoin).
    func remove(room: UUID, user: UUID) async throws
    /// Whether the user is muted / removed.
    func status(room: UUID, user: UUID) async throws -> (muted: Bool, removed: Bool)
}

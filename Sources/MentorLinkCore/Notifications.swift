public import Foundation

/// An in-app notification.
public struct AppNotification: Codable, Sendable, Hashable {
    public var id: Int64
    public var type: String
    public var title: String
    public var body: String
    public var createdAt: Instant
    public var read: Bool

    public init(id: Int64, type: String, title: String, body: String, createdAt: Instant, read: Bool) {
        self.id = id
        self.type = type
        self.title = title
        self.body = body
        self.createdAt = createdAt
        self.read = read
    }
}

/// A notification to create for a user.
public struct NewNotification: Sendable, Hashable {
    public var userId: UUID
    public var type: String
    public var title: String
    public var body: String

    public init(userId: UUID, type: String, title: String, body: String) {
        self.userId = userId
        self.type = type
        self.title = title
        self.body = body
    }
}

/// The durable side of notifications.
public protocol NotificationStore: Sendable {
    /// Records that `consumer` handled outbox event `eventId` and stores its notifications, in one transaction;
    /// returns the stored ones, or `nil` when the event was handled before (nothing is stored twice).
    func handle(eventId: Int64, consumer: String, notifications: [NewNotification]) async throws -> [(UUID, AppNotification)]?
    /// A user's notifications, newest first, before `beforeId`.
    func notifications(userId: UUID, unreadOnly: Bool, beforeId: Int64?, limit: Int) async throws -> [AppNotification]
    /// How many of the user's notifications are unread, counted up to `cap` (a larger count answers `cap`).
    func unreadCount(userId: UUID, cap: Int) async throws -> Int
    /// Marks some of the user's notifications read; returns how many changed.
    func markRead(userId: UUID, ids: [Int64]) async throws -> Int
    /// Whether `consumer` already handled `eventId`.
    func handled(eventId: Int64, consumer: String) async throws -> Bool
    /// The mentees whose seats in group session `groupSessionId` were cancelled together with it.
    func seatHolders(cancelledWith groupSessionId: UUID) async throws -> [UUID]
    /// Email address and name of users.
    func contacts(_ ids: [UUID]) async throws -> [UUID: (email: String, name: String)]
}

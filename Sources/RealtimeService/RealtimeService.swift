public import Foundation
public import JSONRPC
public import MentorLinkCore
public import ServiceSupport

/// `notifications.*` and `availability.subscribe`: pushed events over the WebSocket, and the notification inbox.
///
/// Channels: `user:<id>` (only its owner may subscribe; the caller's own is implied), `availability:<mentorId>`
/// (public). Notifications arrive as `{"method":"subscription","params":{"subscription","channel","seq","event"}}`.
public struct RealtimeService: RPCService {
    let subscriptions: Subscriptions
    let store: any NotificationStore
    let cursors: CursorCodec

    /// Creates the service.
    /// Creates the service; `cursors` seals `notifications.list` cursors (shared by every worker).
    public init(subscriptions: Subscriptions, store: any NotificationStore, cursors: CursorCodec = .random()) {
        self.subscriptions = subscriptions
        self.store = store
        self.cursors = cursors
    }

    public struct SubscribeParams: Codable, Sendable { public var sinceSeq: Int64? }

    public struct AvailabilitySubscribeParams: Codable, Sendable {
        public var mentorId: UUID
        public var sinceSeq: Int64?
    }

    public struct UnsubscribeParams: Codable, Sendable { public var subscription: String }

    public struct ListParams: Codable, Sendable {
        public var unreadOnly: Bool?
        public var cursor: String?
        public var limit: Int?
    }

    public struct MarkReadParams: Codable, Sendable { public var ids: [Int64] }

    /// A page of the inbox, with the number of unread notifications (for a bell's badge; counted up to
    /// `RealtimeService.unreadCap`, so a larger inbox shows that number).
    public struct Page: Codable, Sendable {
        public var items: [AppNotification]
        public var nextCursor: String?
        public var unreadCount: Int
    }

    /// The most unread notifications `notifications.list` counts.
    public static let unreadCap = 1000

    public struct MarkReadResult: Codable, Sendable { public var updated: Int }

    public struct OkResult: Codable, Sendable { public var ok: Bool }

    public func register(into registry: inout MethodRegistry) {
        registry.register(
            "notifications.subscribe", summary: "Push your notifications on this WebSocket.", access: .authenticated, handler: subscribeNotifications)
        registry.register("notifications.unsubscribe", summary: "End a subscription.", access: .authenticated, handler: unsubscribe)
        registry.register(
            "availability.subscribe", summary: "Push a mentor's slot changes on this WebSocket.", access: .public, handler: subscribeAvailability)
        registry.register("availability.unsubscribe", summary: "End a subscription.", access: .public, handler: unsubscribe)
        registry.register("notifications.list", summary: "Your notifications, newest first.", access: .authenticated, handler: list)
        registry.register("notifications.markRead", summary: "Mark notifications read.", access: .authenticated, handler: markRead)
    }

    func subscribeNotifications(_ params: SubscribeParams, _ context: RPCContext) async throws -> Subscriptions.Subscribed {
        let user = try context.caller().id
        return try await subscriptions.subscribe(context, channel: Channels.user(user), sinceSeq: params.sinceSeq)
    }

    func subscribeAvailability(_ params: AvailabilitySubscribeParams, _ context: RPCContext) async throws -> Subscriptions.Subscribed {
        try await subscriptions.subscribe(context, channel: Channels.availability(mentorId: params.mentorId), sinceSeq: params.sinceSeq)
    }

    func unsubscribe(_ params: UnsubscribeParams, _ context: RPCContext) async throws -> OkResult {
        try await subscriptions.unsubscribe(context, subscription: params.subscription)
        return OkResult(ok: true)
    }

    func list(_ params: ListParams, _ context: RPCContext) async throws -> Page {
        let user = try context.caller().id
        let limit = params.limit ?? 50
        guard (1...200).contains(limit) else { throw RealtimeError.invalid([FieldProblem(field: "limit", problem: "1 to 200")]) }
        let before = try cursors.cursorParam(params.cursor, scope: "notifications.list", timeKeyed: false)?.key
        let items = try await store.notifications(userId: user, unreadOnly: params.unreadOnly ?? false, beforeId: before, limit: limit)
        let unread = try await store.unreadCount(userId: user, cap: Self.unreadCap)
        return Page(
            items: items, nextCursor: cursors.nextCursor(items, limit: limit, scope: "notifications.list") { PageCursor(key: $0.id) },
            unreadCount: unread)
    }

    func markRead(_ params: MarkReadParams, _ context: RPCContext) async throws -> MarkReadResult {
        let user = try context.caller().id
        guard (1...500).contains(params.ids.count) else { throw RealtimeError.invalid([FieldProblem(field: "ids", problem: "1 to 500 ids")]) }
        return MarkReadResult(updated: try await store.markRead(userId: user, ids: params.ids))
    }
}

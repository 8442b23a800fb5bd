public import Foundation
public import MentorLinkCore

/// Params of `audit.list`: filters, a page cursor and a page size (1 to 500, default 50).
public struct AuditListParams: Codable, Sendable {
    public var actorId: UUID?
    public var action: String?
    public var from: String?
    public var to: String?
    public var cursor: String?
    public var limit: Int?
}

/// A page of audit entries.
public struct AuditPage: Codable, Sendable {
    public var items: [AuditRecord]
    public var nextCursor: String?
}

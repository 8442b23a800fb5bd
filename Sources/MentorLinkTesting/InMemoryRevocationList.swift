public import Foundation
public import MentorLinkCore
import Synchronization

/// ``MentorLinkCore/RevocationList`` in memory: a session stays revoked until its time to live has passed on the
/// injected clock (Redis's `SET … EX` keys).
public final class InMemoryRevocationList: RevocationList {
    private let revoked = Mutex<[UUID: Instant]>([:])
    private let now: @Sendable () -> Instant
    /// Takes Redis away.
    public let outage = Outage("redis")

    /// An empty list on `now`'s time.
    public init(now: @escaping @Sendable () -> Instant = { .now }) { self.now = now }

    public func revoke(sessionIds: [UUID], ttl: Duration) async throws {
        try outage.check()
        let until = now().adding(seconds: Int(max(1, ttl.components.seconds)))
        revoked.withLock { revoked in sessionIds.forEach { revoked[$0] = until } }
    }

    public func isRevoked(sessionId: UUID) async throws -> Bool {
        try outage.check()
        let now = now()
        return revoked.withLock { $0[sessionId].map { $0 > now } ?? false }
    }
}

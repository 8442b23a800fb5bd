import Foundation
public import MentorLinkCore
import Synchronization

/// ``MentorLinkCore/RateLimiter`` in memory: the same GCRA as the Redis script (a theoretical arrival time per key, in
/// milliseconds), on the injected clock, so a test can spend a budget and move time to refill it.
public final class InMemoryRateLimiter: RateLimiter {
    private let arrivals = Mutex<[String: Int64]>([:])
    private let now: @Sendable () -> Instant
    /// Takes Redis away.
    public let outage = Outage("redis")

    /// A limiter with every budget full, on `now`'s time.
    public init(now: @escaping @Sendable () -> Instant = { .now }) { self.now = now }

    public func take(key: String, rule: RateRule) async throws -> Int? {
        try outage.check()
        let nowMs = Int64((now().date.timeIntervalSince1970 * 1000).rounded(.down))
        let periodMs = rule.period.components.seconds * 1000 + rule.period.components.attoseconds / 1_000_000_000_000_000
        let interval = max(1, periodMs / Int64(max(1, rule.count)))
        let tolerance = interval * Int64(rule.burst)
        let wait = arrivals.withLock { arrivals -> Int64? in
            let arrival = max(arrivals[key] ?? nowMs, nowMs)
            let next = arrival + interval
            let allowAt = next - tolerance
            if allowAt > nowMs { return allowAt - nowMs }
            arrivals[key] = next
            return nil
        }
        return wait.map { max(1, Int(($0 + 999) / 1000)) }
    }
}

/// A shared rate limiter (Redis behind it): GCRA over a key.
public protocol RateLimiter: Sendable {
    /// Takes one token for `key` under `rule`; returns `nil` when allowed, else the seconds to wait.
    func take(key: String, rule: RateRule) async throws -> Int?
}

/// A rate: `count` per `period`, with bursts up to `burst`.
public struct RateRule: Sendable, Hashable {
    /// How many calls a period allows.
    public var count: Int
    /// The period.
    public var period: Duration
    /// How many calls may come at once.
    public var burst: Int

    /// A rate of `count` per `period`, bursts up to `burst`.
    public init(count: Int, period: Duration, burst: Int) {
        self.count = count
        self.period = period
        self.burst = burst
    }
}

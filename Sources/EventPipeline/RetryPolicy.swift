/// How a consumer retries a message before it parks it: `attempts` tries in all, waiting between them an
/// exponentially growing delay (`initialBackoff`·2ⁿ, at most `maximumBackoff`) of which a random half is jitter.
public struct RetryPolicy: Sendable, Hashable {
    /// Tries in all (at least 1).
    public var attempts: Int
    public var initialBackoff: Duration
    public var maximumBackoff: Duration

    /// Defaults: 5 attempts, 200 ms doubling up to 10 s (about 3 s of waiting before a message is parked).
    public init(attempts: Int = 5, initialBackoff: Duration = .milliseconds(200), maximumBackoff: Duration = .seconds(10)) {
        self.attempts = max(1, attempts)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// The wait after failed attempt `attempt` (1-based): between half and all of the capped exponential delay.
    public func delay(after attempt: Int) -> Duration {
        let initial = Self.seconds(initialBackoff)
        let cap = Self.seconds(maximumBackoff)
        let base = min(cap, initial * Double(1 << min(max(attempt - 1, 0), 30)))
        return .milliseconds(Int64((base / 2 + Double.random(in: 0...(base / 2))) * 1000))
    }

    static func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
}

import Foundation
public import MentorLinkCore

/// ``RateLimiter`` as one atomic Lua script in Redis (GCRA), so every worker shares the same budget.
public struct RedisRateLimiter: RateLimiter {
    let client: RedisClient

    /// Creates the limiter over a client.
    public init(client: RedisClient) { self.client = client }

    /// GCRA: the theoretical arrival time (TAT) per key, in milliseconds of Redis's own clock.
    /// Returns -1 when allowed, else the milliseconds until the next call would be.
    static let script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local interval = tonumber(ARGV[1])
        local tolerance = interval * tonumber(ARGV[2])
        local tat = tonumber(redis.call('GET', KEYS[1]) or now)
        if tat < now then tat = now end
        local new_tat = tat + interval
        local allow_at = new_tat - tolerance
        if allow_at > now then return allow_at - now end
        redis.call('SET', KEYS[1], new_tat, 'PX', math.max(1, new_tat - now))
        return -1
        """

    public func take(key: String, rule: RateRule) async throws -> Int? {
        let periodMs = rule.period.components.seconds * 1000 + rule.period.components.attoseconds / 1_000_000_000_000_000
        let interval = max(1, periodMs / Int64(max(1, rule.count)))
        let reply = try await client.send(["EVAL", Self.script, "1", "rl:\(key)", "\(interval)", "\(rule.burst)"])
        guard let wait = reply.integer else { throw RedisAdapterError.protocolError("rate limit reply") }
        return wait < 0 ? nil : max(1, Int((wait + 999) / 1000))
    }
}

/// Releases the escrow of finished sessions to their mentors: the port the escrow-release service runs on.
public protocol EscrowReleasing: Sendable {
    /// Releases the escrow of sessions that ended at least `grace` ago to their mentors, split by `fees`; safe to run
    /// from several processes at once (rows claimed with SKIP LOCKED, each release posted once). Returns how many
    /// were released (at most `limit`).
    func releaseDueEscrows(now: Instant, grace: Duration, limit: Int, fees: PlatformFeePolicy) async throws -> Int
}

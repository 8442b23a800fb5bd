public import MentorLinkCore

extension EscrowReleasing {
    /// Releases at the ``MentorLinkCore/PlatformFeePolicy/standard`` fee: for tests only (the release service passes
    /// the configured policy, so production code cannot reach for a fee that ignores the configuration).
    public func releaseDueEscrows(now: Instant, grace: Duration, limit: Int) async throws -> Int {
        try await releaseDueEscrows(now: now, grace: grace, limit: limit, fees: .standard)
    }
}

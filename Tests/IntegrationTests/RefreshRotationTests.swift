import Foundation
import MentorLinkCore
import PostgresNIO
import Testing

@testable import PostgresAdapter

/// The one-statement rotation (`PostgresIdentityStore.rotateCurrent`) takes exactly the common case, a current token of
/// a live session, and leaves everything else to the full transaction (which the identity tests cover end to end).
@Suite struct RefreshRotationTests {
    /// The hash of the signed-up account's one current refresh token.
    static func currentHash(_ h: IdentityHarness) async throws -> [UInt8] {
        let rows = try await h.pool.client.query("SELECT token_hash FROM refresh_tokens WHERE rotated_at IS NULL")
        var hashes: [[UInt8]] = []
        for try await hash in rows.decode(Data.self) { hashes.append(Array(hash)) }
        return try #require(hashes.count == 1 ? hashes.first : nil)
    }

    static func rotatedUserId(_ outcome: RefreshOutcome?) -> String? {
        if case .rotated(let user, _)? = outcome { return user.id.uuidString.lowercased() }
        return nil
    }

    @Test func aCurrentTokenRotatesInOneStatementAndOnlyOnce() async throws {
        try await IdentityHarness.with { h in
            let account = try await h.signUp()
            let hash = try await Self.currentHash(h)
            let next = Array(repeating: UInt8(9), count: 32)
            let now = Date()
            let outcome: RefreshOutcome? = try await h.store.rotateCurrent(
                tokenHash: hash, newTokenHash: next, now: now, idleExpiresAt: now.addingTimeInterval(3600))
            let rotatedUser: String? = Self.rotatedUserId(outcome)
            #expect(rotatedUser == account.id.lowercased(), "not rotated for the account: \(String(describing: outcome))")
            // The old token is spent and its successor is the one current token.
            #expect(try await Self.currentHash(h) == next)
            // Presented again it is not current: the fast path declines and leaves it to the transaction (reuse rules).
            #expect(
                try await h.store.rotateCurrent(tokenHash: hash, newTokenHash: Array(repeating: 8, count: 32), now: now, idleExpiresAt: now) == nil)
            #expect(try await Self.currentHash(h) == next)
        }
    }

    @Test func revokedExpiredAndDisabledAreLeftToTheTransaction() async throws {
        try await IdentityHarness.with { h in
            _ = try await h.signUp()
            let hash = try await Self.currentHash(h)
            let now = Date()
            let later = now.addingTimeInterval(3600)
            // Past the token's idle expiry.
            #expect(
                try await h.store.rotateCurrent(tokenHash: hash, newTokenHash: [1], now: later.addingTimeInterval(100 * 86400), idleExpiresAt: later)
                    == nil)
            try await h.pool.client.query("UPDATE users SET disabled_at = now()")
            #expect(try await h.store.rotateCurrent(tokenHash: hash, newTokenHash: [2], now: now, idleExpiresAt: later) == nil)
            try await h.pool.client.query("UPDATE users SET disabled_at = NULL")
            try await h.pool.client.query("UPDATE sessions SET revoked_at = now()")
            #expect(try await h.store.rotateCurrent(tokenHash: hash, newTokenHash: [3], now: now, idleExpiresAt: later) == nil)
            // Nothing was written by any of them.
            #expect(try await Self.currentHash(h) == hash)
        }
    }
}

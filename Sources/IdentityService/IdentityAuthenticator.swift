import Foundation
public import JSONRPC
public import Logging
public import MentorLinkCore
import Synchronization

/// Authenticates a call by `Authorization: Bearer` (scripts) or the `__Host-ml_at` cookie (browsers).
///
/// A cookie-authenticated call must come from an allowed `Origin` (the transport already insists on
/// `Content-Type: application/json`); a safe request (``JSONRPC/RequestCredentials/safeRequest``) may carry none. A token of a revoked session is refused: the revocation list in Redis is asked,
/// and its answer trusted for two seconds per session. If Redis cannot be reached the call is refused with
/// `unavailable` (fail closed, but retryable: the client keeps its session and tries again, rather than signing out).
public final class IdentityAuthenticator: Authenticator, Sendable {
    let tokens: AccessTokens
    let revocations: any RevocationList
    let allowedOrigins: Set<String>
    let cacheLifetime: Duration
    let logger: Logger
    private let cache = Mutex<[UUID: (revoked: Bool, at: ContinuousClock.Instant)]>([:])

    /// Creates the authenticator.
    public init(tokens: AccessTokens, revocations: any RevocationList, configuration: IdentityConfiguration, logger: Logger) {
        self.tokens = tokens
        self.revocations = revocations
        self.allowedOrigins = configuration.allowedOrigins
        self.cacheLifetime = configuration.revocationCacheLifetime
        self.logger = logger
    }

    public func authenticate(_ credentials: RequestCredentials) async throws -> Principal? {
        let token: String
        if let bearer = credentials.bearer {
            token = bearer
        } else if let cookie = credentials.cookies[Cookies.access] {
            let sameOrigin = credentials.origin.map(allowedOrigins.contains) ?? credentials.safeRequest
            guard sameOrigin else {
                logger.notice("auth.origin_refused", metadata: ["origin": .string(credentials.origin ?? "none")])
                return nil
            }
            token = cookie
        } else {
            return nil
        }
        guard let principal = await tokens.verify(token), let sessionId = principal.sessionId.flatMap(UUID.init(uuidString:)) else { return nil }
        return try await isRevoked(sessionId) ? nil : principal
    }

    /// Forgets what the cache knows about a session (after this worker revoked it).
    func forget(_ sessionIds: [UUID]) { cache.withLock { cache in sessionIds.forEach { cache[$0] = (true, .now) } } }

    private func isRevoked(_ sessionId: UUID) async throws(IdentityError) -> Bool {
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0[sessionId] }), now - cached.at < cacheLifetime { return cached.revoked }
        let revoked: Bool
        do { revoked = try await revocations.isRevoked(sessionId: sessionId) } catch {
            logger.warning("auth.revocation_check_failed", metadata: ["error": .string("\(error)")])
            throw IdentityError.unavailable("redis")
        }
        cache.withLock { cache in
            if cache.count > 100_000 { cache.removeAll() }
            cache[sessionId] = (revoked, now)
        }
        return revoked
    }
}

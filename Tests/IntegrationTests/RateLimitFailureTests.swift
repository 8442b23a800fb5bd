import Foundation
import IdentityService
import JSONRPC
import Logging
import MentorLinkCore
import MentorLinkTesting
import ServiceSupport
import Testing

/// What happens to rate-limited classes when Redis cannot be reached: login and registration fail closed with a
/// retryable error, everything else fails open.
@Suite struct RateLimitFailureTests {
    struct DownLimiter: RateLimiter {
        struct Down: Error {}
        func take(key: String, rule: RateRule) async throws -> Int? { throw Down() }
    }

    func dispatcher() -> RPCDispatcher {
        var registry = MethodRegistry()
        registry.register("t.login", access: .public, rateLimit: .login) { (_: NoParams, _) in true }
        registry.register("t.register", access: .public, rateLimit: .registration) { (_: NoParams, _) in true }
        registry.register("t.chat", access: .public, rateLimit: .chat) { (_: NoParams, _) in true }
        let middleware = RateLimitMiddleware(limiter: DownLimiter(), rules: IdentityConfiguration.defaultRateRules, logger: TestEnvironment.logger)
        return RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "t", version: "0"), middleware: [middleware])
    }

    @Test(arguments: [("t.login", "unavailable"), ("t.register", "unavailable"), ("t.chat", nil)]) func redisDown(
        method: String, reason: String?
    ) async throws {
        let context = RPCContext(requestId: "t", logger: TestEnvironment.logger, clientAddress: "10.1.1.1")
        let reply = await dispatcher().handle(body: Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)"}"#.utf8), context: context)
        let response = try #require(reply.responses.first)
        #expect(response.error?.reason == reason)
        if reason != nil { #expect(response.error?.data["retryable"] == .bool(true)) }
    }

    /// Fail closed, but as `unavailable` (retryable): answering `unauthenticated` made clients sign their users out
    /// during a Redis outage (found by scripts/chaos).
    @Test func revocationListDownRefusesTokensAsUnavailable() async throws {
        struct DownList: RevocationList {
            func revoke(sessionIds: [UUID], ttl: Duration) async throws {}
            func isRevoked(sessionId: UUID) async throws -> Bool { throw DownLimiter.Down() }
        }
        let configuration = IdentityHarness.configuration()
        let tokens = await AccessTokens(configuration: configuration)
        let token = try await tokens.issue(for: User(id: UUID(), email: "a@example.com", name: "A", roles: [.mentee]), sessionId: UUID()).token
        let authenticator = IdentityAuthenticator(
            tokens: tokens, revocations: DownList(), configuration: configuration, logger: TestEnvironment.logger)
        do {
            _ = try await authenticator.authenticate(RequestCredentials(bearer: token))
            Issue.record("a token was accepted with the revocation list down")
        } catch let error as any RPCErrorConvertible {
            #expect(error.rpcError.reason == "unavailable")
            #expect(error.rpcError.data["dependency"] == .string("redis"))
        }
    }
}

public import Foundation
public import JSONRPC
public import Logging
public import MentorLinkCore

/// Applies each method's rate-limit class to every call (batch elements included), keyed by the caller
/// (user id, or client address when anonymous).
///
/// When Redis cannot be reached: the `login` and `registration` classes fail closed with a retryable
/// `unavailable` error; every other class fails open (logged), so an outage of the cache does not stop the product.
public struct RateLimitMiddleware: RPCMiddleware {
    let limiter: any RateLimiter
    let rules: [String: RateRule]
    let logger: Logger

    /// Creates the middleware.
    public init(limiter: any RateLimiter, rules: [String: RateRule], logger: Logger) {
        self.limiter = limiter
        self.rules = rules
        self.logger = logger
    }

    static let failClosed: Set<String> = ["login", "registration"]

    public func handle(_ call: RPCCall, context: RPCContext, next: @Sendable (RPCCall, RPCContext) async throws -> Data) async throws -> Data {
        let kind = call.method.rateLimit.rawValue
        let ruleName = kind == "login" ? "login.ip" : kind
        guard kind != "none", let rule = rules[ruleName] else { return try await next(call, context) }
        let caller = context.signedInCaller.map { "u:\($0.id.uuidString)" } ?? "ip:\(context.clientAddress ?? "local")"
        do {
            if let retryAfter = try await limiter.take(key: "\(ruleName):\(caller)", rule: rule) {
                throw RPCError.rateLimited(retryAfter: retryAfter)
            }
        } catch let error as RPCError { throw error } catch {
            logger.warning("ratelimit.unavailable", metadata: ["error": .string("\(error)"), "rpc.method": .string(call.method.name)])
            if Self.failClosed.contains(kind) { throw RPCError.unavailable("redis") }
        }
        return try await next(call, context)
    }
}

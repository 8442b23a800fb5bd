import AuditService
import Foundation
import IdentityService
import JSONRPC
import Logging
import MentorLinkCore
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import RedisAdapter
import ServiceSupport
import Testing

/// The identity and audit services over the real PostgreSQL (a fresh database) and Redis, called in-process
/// through the dispatcher exactly as a worker would, with the same authenticator and middleware.
struct IdentityHarness: Sendable {
    let dispatcher: RPCDispatcher
    let authenticator: IdentityAuthenticator
    let tokens: AccessTokens
    let configuration: IdentityConfiguration
    let pool: PostgresPool
    let store: PostgresIdentityStore
    let redis: RedisClient

    static let origin = "http://127.0.0.1:8080"
    static let key: [UInt8] = Array(repeating: 7, count: 32)

    static func configuration(audience: String = "mentorlink-api") -> IdentityConfiguration {
        var configuration = IdentityConfiguration(signingKeys: [("k1", key)], allowedOrigins: [origin])
        configuration.audience = audience
        return configuration
    }

    static func with(_ body: (IdentityHarness) async throws -> Void) async throws {
        try await TestEnvironment.withFreshDatabase(migrated: true) { pool in
            let redis = RedisClient(address: .unix(path: "\(try TestEnvironment.runDirectory())/redis.sock"), logger: TestEnvironment.logger)
            let configuration = configuration()
            let tokens = await AccessTokens(configuration: configuration)
            let revocations = RedisRevocationList(client: redis)
            let limiter = RedisRateLimiter(client: redis)
            let store = PostgresIdentityStore(pool: pool, logger: TestEnvironment.logger)
            let authenticator = IdentityAuthenticator(
                tokens: tokens, revocations: revocations, configuration: configuration, logger: TestEnvironment.logger)
            var registry = MethodRegistry()
            registry.mount(
                try await IdentityService(
                    store: store, revocations: revocations, limiter: limiter, tokens: tokens, configuration: configuration,
                    authenticator: authenticator, logger: TestEnvironment.logger))
            registry.mount(AuditService(log: store))
            let dispatcher = RPCDispatcher(
                registry: registry, info: OpenRPCInfo(title: "t", version: "0"),
                middleware: [RateLimitMiddleware(limiter: limiter, rules: configuration.rateRules, logger: TestEnvironment.logger)])
            try await body(
                IdentityHarness(
                    dispatcher: dispatcher, authenticator: authenticator, tokens: tokens, configuration: configuration, pool: pool, store: store,
                    redis: redis))
        }
    }

    /// Calls a method with credentials, authenticating them first like the worker does.
    func call(
        _ method: String, _ params: String = "{}", bearer: String? = nil, cookies: [String: String] = [:], origin: String? = origin,
        ip: String = "10.0.0.\(Int.random(in: 1...250))", principal: Principal? = nil, transport: RPCContext.Transport = .http
    ) async throws -> Outcome {
        let credentials = RequestCredentials(bearer: bearer, cookies: cookies, origin: origin)
        let resolved: Principal?
        if let principal { resolved = principal } else { resolved = try await authenticator.authenticate(credentials) }
        let context = RPCContext(
            requestId: "t-\(UUID().uuidString.prefix(6))", logger: TestEnvironment.logger, principal: resolved, clientAddress: ip,
            transport: transport, credentials: credentials)
        return try await dispatcher.call(method, params, context: context)
    }

    /// Registers and signs in a fresh account; returns its id, access token and refresh cookie.
    func signUp(
        role: String = "mentee", password: String = "correct horse battery staple"
    ) async throws -> (id: String, email: String, access: String, refresh: String) {
        let email = "u\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let registered = try await call("identity.register", #"{"email":"\#(email)","password":"\#(password)","name":"Test User","role":"\#(role)"}"#)
        let id = try #require(
            (registered.result?["user"] as? [String: Any])?["id"] as? String, "register failed: \(String(describing: registered.error))")
        let login = try await call("identity.login", #"{"email":"\#(email)","password":"\#(password)"}"#)
        let access = try #require(login.result?["accessToken"] as? String, "login failed: \(String(describing: login.error))")
        return (id, email, access, try #require(login.cookie("__Host-ml_rt")))
    }

    /// Makes an admin directly in the store (the CLI's path) and signs it in.
    func signUpAdmin() async throws -> (id: String, access: String) {
        let email = "admin\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let user = try await UserCreation.create(store: store, email: email, name: "Admin", password: "admin password 123", role: .admin)
        let login = try await call("identity.login", #"{"email":"\#(email)","password":"admin password 123"}"#)
        return (user.id.uuidString, try #require(login.result?["accessToken"] as? String))
    }
}

import AuditService
import Foundation
import IdentityService
import JSONRPC
import Logging
import MentorLinkCore
import MentorLinkTesting
import ServiceSupport
import Testing

/// The identity and audit services on the in-memory ports, called through the dispatcher with the worker's
/// authenticator and rate-limit middleware: everything `IdentityHarness` wires, minus PostgreSQL and Redis.
struct IdentityFixture: Sendable {
    let dispatcher: RPCDispatcher
    let authenticator: IdentityAuthenticator
    let tokens: AccessTokens
    let store: InMemoryIdentityStore
    let limiter: InMemoryRateLimiter
    let revocations: InMemoryRevocationList
    let clock: TestClock
    let hasher: PasswordHasher

    static let origin = "http://127.0.0.1:8080"
    static let password = "correct horse battery staple"
    /// Argon2id at its smallest: the rules under test are the service's, not the hash's cost.
    static let cheap = Argon2Cost(memoryKiB: 64, iterations: 1, parallelism: 1)

    static func configuration(audience: String = "mentorlink-api") -> IdentityConfiguration {
        var configuration = IdentityConfiguration(signingKeys: [("k1", Array(repeating: 7, count: 32))], allowedOrigins: [origin])
        configuration.audience = audience
        configuration.argon2 = cheap
        return configuration
    }

    static func make(_ configure: (inout IdentityConfiguration) -> Void = { _ in }) async throws -> IdentityFixture {
        var configuration = configuration()
        configure(&configuration)
        let clock = TestClock(.now)
        let store = InMemoryIdentityStore(now: { clock.now })
        let limiter = InMemoryRateLimiter(now: { clock.now })
        let revocations = InMemoryRevocationList(now: { clock.now })
        let tokens = await AccessTokens(configuration: configuration)
        let authenticator = IdentityAuthenticator(tokens: tokens, revocations: revocations, configuration: configuration, logger: .testing)
        var registry = MethodRegistry()
        registry.mount(
            try await IdentityService(
                store: store, revocations: revocations, limiter: limiter, tokens: tokens, configuration: configuration, authenticator: authenticator,
                logger: .testing))
        registry.mount(AuditService(log: store, cursors: configuration.cursors))
        let dispatcher = RPCDispatcher(
            registry: registry, info: OpenRPCInfo(title: "t", version: "0"),
            middleware: [RateLimitMiddleware(limiter: limiter, rules: configuration.rateRules, logger: .testing)])
        return IdentityFixture(
            dispatcher: dispatcher, authenticator: authenticator, tokens: tokens, store: store, limiter: limiter, revocations: revocations,
            clock: clock, hasher: PasswordHasher(cost: cheap))
    }

    /// Calls a method with credentials, authenticating them first as the worker does (or as `principal`).
    func call(
        _ method: String, _ params: String = "{}", bearer: String? = nil, cookies: [String: String] = [:], origin: String? = origin,
        ip: String = "10.0.0.\(Int.random(in: 1...250))", principal: Principal? = nil, transport: RPCContext.Transport = .http
    ) async throws -> Outcome {
        let credentials = RequestCredentials(bearer: bearer, cookies: cookies, origin: origin)
        let resolved: Principal?
        if let principal { resolved = principal } else { resolved = try await authenticator.authenticate(credentials) }
        let context = RPCContext(
            requestId: "t-\(UUID().uuidString.prefix(6))", logger: .testing, principal: resolved, clientAddress: ip, transport: transport,
            credentials: credentials)
        return try await dispatcher.call(method, params, context: context)
    }

    /// An account registered and signed in: its id, email, access token and refresh cookie.
    struct Account {
        var id: String
        var email: String
        var access: String
        var refresh: String
    }

    func signUp(role: String = "mentee", password: String = password) async throws -> Account {
        let email = "u\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let registered = try await call("identity.register", #"{"email":"\#(email)","password":"\#(password)","name":"Test User","role":"\#(role)"}"#)
        let id = try #require(registered.object("user")?["id"] as? String, "register failed: \(String(describing: registered.error))")
        let login = try await call("identity.login", #"{"email":"\#(email)","password":"\#(password)"}"#)
        let access = try #require(login.result?["accessToken"] as? String, "login failed: \(String(describing: login.error))")
        return Account(id: id, email: email, access: access, refresh: try #require(login.cookie("__Host-ml_rt")))
    }

    /// An admin made in the store (the CLI's path), signed in.
    func signUpAdmin() async throws -> Account {
        let email = "admin\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let user = try await UserCreation.create(
            store: store, email: email, name: "Admin", password: "admin password 123", role: .admin, hasher: hasher)
        let login = try await call("identity.login", #"{"email":"\#(email)","password":"admin password 123"}"#)
        return Account(
            id: user.id.uuidString, email: email, access: try #require(login.result?["accessToken"] as? String),
            refresh: try #require(login.cookie("__Host-ml_rt")))
    }
}

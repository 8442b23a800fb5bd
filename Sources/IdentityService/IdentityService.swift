import Foundation
public import JSONRPC
public import Logging
public import MentorLinkCore
import ServiceSupport

/// `identity.*` and `admin.*`: accounts, sessions with rotating refresh tokens in cookies, roles.
public struct IdentityService: RPCService {
    let store: any IdentityStore
    let revocations: any RevocationList
    let limiter: any RateLimiter
    let tokens: AccessTokens
    let hasher: PasswordHasher
    let policy: PasswordPolicy
    let configuration: IdentityConfiguration
    let authenticator: IdentityAuthenticator?
    let logger: Logger
    /// A hash of nothing, verified against when the email is unknown so both failures cost the same.
    let decoyHash: String
    /// Seals `admin.listUsers` cursors.
    let cursors: CursorCodec

    /// Creates the service (computes the decoy hash once).
    public init(
        store: any IdentityStore, revocations: any RevocationList, limiter: any RateLimiter, tokens: AccessTokens,
        configuration: IdentityConfiguration, authenticator: IdentityAuthenticator?, logger: Logger
    ) async throws {
        self.store = store
        self.cursors = configuration.cursors
        self.revocations = revocations
        self.limiter = limiter
        self.tokens = tokens
        self.hasher = PasswordHasher(cost: configuration.argon2)
        self.policy = PasswordPolicy()
        self.configuration = configuration
        self.authenticator = authenticator
        self.logger = logger
        self.decoyHash = try await hasher.hash(RefreshToken.make())
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register(
            "identity.register", summary: "Create a mentee or mentor account.", access: .public, rateLimit: .registration, handler: register)
        registry.register(
            "identity.login", summary: "Sign in; sets the access and refresh cookies.", access: .public, rateLimit: .login, handler: login)
        registry.register(
            "identity.refresh", summary: "Rotate the refresh token; new access token.", access: .public, rateLimit: .login, handler: refresh)
        registry.register("identity.logout", summary: "End this session.", access: .authenticated, handler: logout)
        registry.register("identity.logoutAll", summary: "End every session of this account.", access: .authenticated, handler: logoutAll)
        registry.register("identity.me", summary: "The signed-in account.", access: .authenticated, handler: me)
        registry.register(
            "identity.changePassword", summary: "Change the password; ends the other sessions.", access: .authenticated, rateLimit: .login,
            handler: changePassword)
        registry.register("admin.setRole", summary: "Set a user's role.", access: .only(.admin), handler: setRole)
        registry.register("admin.disableUser", summary: "Disable an account and end its sessions.", access: .only(.admin), handler: disableUser)
        registry.register("admin.listUsers", summary: "Accounts in id order.", access: .only(.admin), handler: listUsers)
    }

    func register(_ params: RegisterParams, _ context: RPCContext) async throws -> UserResult {
        let name = params.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else { throw RPCError.invalidParams([FieldProblem(field: "name", problem: "1 to 200 characters")]) }
        let user = try await UserCreation.create(
            store: store, email: params.email, name: name, password: params.password, role: params.role == .mentor ? .mentor : .mentee,
            hasher: hasher, policy: policy)
        return UserResult(user: user)
    }

    func me(_: NoParams, _ context: RPCContext) async throws -> UserResult {
        guard let id = context.signedInCaller?.id, let user = try await store.user(id: id) else { throw IdentityError.unauthenticated }
        return UserResult(user: user)
    }

    /// Marks sessions revoked in Redis (so every worker refuses their access tokens) and in this worker's cache.
    func publishRevocation(_ sessionIds: [UUID]) async {
        guard !sessionIds.isEmpty else { return }
        authenticator?.forget(sessionIds)
        do { try await revocations.revoke(sessionIds: sessionIds, ttl: configuration.accessLifetime + .seconds(60)) } catch {
            logger.error("auth.revocation_publish_failed", metadata: ["error": .string("\(error)")])
        }
    }
}

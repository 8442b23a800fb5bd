import Foundation
public import MentorLinkCore
public import ServiceSupport

/// Identity settings with documented, safe defaults (OWASP ASVS 5.0, RFC 9700).
public struct IdentityConfiguration: Sendable {
    /// HMAC-SHA-256 signing keys by `kid`; the first signs, all verify (so keys can be rotated).
    public var signingKeys: [(kid: String, secret: [UInt8])]
    /// `iss` of access tokens.
    public var issuer = "mentorlink"
    /// `aud` of access tokens.
    public var audience = "mentorlink-api"
    /// Access-token lifetime: 15 minutes.
    public var accessLifetime: Duration = .seconds(15 * 60)
    /// Refresh-token idle lifetime: 7 days since the last rotation.
    public var refreshIdleLifetime: Duration = .seconds(7 * 24 * 3600)
    /// Refresh-token absolute lifetime: 30 days since login.
    public var refreshAbsoluteLifetime: Duration = .seconds(30 * 24 * 3600)
    /// How long after a rotation the old refresh token may be presented again without counting as reuse (two tabs
    /// refreshing at once): 10 seconds (RFC 9700 §4.14.2 allows such a grace window). It gets its own successor.
    public var refreshReuseGrace: Duration = .seconds(10)
    /// Origins allowed to make cookie-authenticated calls.
    public var allowedOrigins: Set<String>
    /// How long a worker trusts its last answer from the revocation list.
    public var revocationCacheLifetime: Duration = .seconds(2)
    /// Argon2id cost: memory in KiB (19 MiB), iterations, lanes — OWASP's minimum.
    public var argon2 = IdentityConfiguration.defaultArgon2

    /// OWASP's minimum for Argon2id: m=19 MiB, t=2, p=1.
    public static let defaultArgon2 = Argon2Cost(memoryKiB: 19 * 1024, iterations: 2, parallelism: 1)
    /// Rate rules by class.
    public var rateRules: [String: RateRule] = IdentityConfiguration.defaultRateRules

    /// The documented defaults: login 10/min per address, 5/min per account and address, 100/hour per account from
    /// all addresses; registration 5/h per address; booking 30/min; chat 60/10s; payments 20/min; everything else
    /// 600/min per caller.
    public static let defaultRateRules: [String: RateRule] = [
        "login.ip": RateRule(count: 10, period: .seconds(60), burst: 10), "login.account_address": RateRule(count: 5, period: .seconds(60), burst: 5),
        "login.account": RateRule(count: 100, period: .seconds(3600), burst: 20),
        "registration": RateRule(count: 5, period: .seconds(3600), burst: 5), "booking": RateRule(count: 30, period: .seconds(60), burst: 10),
        "chat": RateRule(count: 60, period: .seconds(10), burst: 20), "payments": RateRule(count: 20, period: .seconds(60), burst: 5),
        "standard": RateRule(count: 600, period: .seconds(60), burst: 100),
    ]

    /// Creates a configuration; everything but the keys and origins has a default.
    public init(signingKeys: [(kid: String, secret: [UInt8])], allowedOrigins: Set<String>) {
        self.signingKeys = signingKeys
        self.allowedOrigins = allowedOrigins
    }
}

/// Argon2id parameters.
public struct Argon2Cost: Sendable, Hashable {
    public var memoryKiB: UInt32
    public var iterations: UInt32
    public var parallelism: UInt32

    public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }
}

extension IdentityConfiguration {
    /// The page-cursor codec of the deployment: its key is derived from the signing key (the first of
    /// ``signingKeys``), so every worker seals and opens the same cursors; random when there is no key. Rotating the
    /// signing key ends the cursors in flight (clients start again from the first page).
    public var cursors: CursorCodec { signingKeys.first.map { CursorCodec(derivingFrom: $0.secret) } ?? .random() }
}

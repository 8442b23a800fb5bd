public import Foundation
public import JSONRPC
import JWTKit
public import MentorLinkCore

/// The claims of an access token: `iss`, `aud`, `sub`, `role`, `sid` (session family), `jti`, `iat`, `exp`, `typ`.
struct AccessClaims: JWTPayload {
    var iss: IssuerClaim
    var aud: AudienceClaim
    var sub: SubjectClaim
    var role: String
    var sid: String
    var jti: IDClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var typ: String

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard typ == "access" else { throw IdentityError.unauthenticated }
    }
}

/// Signs and verifies access tokens with jwt-kit. The algorithm is fixed server-side (HS256 with a `kid`);
/// `alg:none`, other algorithms, unknown kids, wrong issuer or audience and expired tokens are all refused.
public struct AccessTokens: Sendable {
    let keys: JWTKeyCollection
    let signingKid: String
    let issuer: String
    let audience: String
    let lifetime: Duration

    /// Builds the key collection from configuration.
    public init(configuration: IdentityConfiguration) async {
        let keys = JWTKeyCollection()
        for (kid, secret) in configuration.signingKeys {
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        }
        self.keys = keys
        self.signingKid = configuration.signingKeys.first?.kid ?? ""
        self.issuer = configuration.issuer
        self.audience = configuration.audience
        self.lifetime = configuration.accessLifetime
    }

    /// A signed token for `user` in session `sessionId`, and when it expires.
    public func issue(for user: User, sessionId: UUID, now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        let expiresAt = now.addingTimeInterval(Double(lifetime.components.seconds))
        let claims = AccessClaims(
            iss: IssuerClaim(value: issuer), aud: AudienceClaim(value: [audience]), sub: SubjectClaim(value: user.id.uuidString),
            role: user.roles.first?.rawValue ?? "", sid: sessionId.uuidString, jti: IDClaim(value: UUID().uuidString), iat: IssuedAtClaim(value: now),
            exp: ExpirationClaim(value: expiresAt), typ: "access")
        var header = JWTHeader()
        header.typ = "JWT"
        return (try await keys.sign(claims, kid: JWKIdentifier(string: signingKid), header: header), expiresAt)
    }

    /// The caller a token stands for, or `nil` for any token that does not verify.
    public func verify(_ token: String) async -> Principal? {
        guard token.utf8.count < 4096, let claims = try? await keys.verify(token, as: AccessClaims.self) else { return nil }
        guard claims.iss.value == issuer, (try? claims.aud.verifyIntendedAudience(includes: audience)) != nil,
            let userId = UUID(uuidString: claims.sub.value), let sessionId = UUID(uuidString: claims.sid), let role = Role(rawValue: claims.role)
        else { return nil }
        return Principal(userId: userId.uuidString, roles: [RPCRole(rawValue: role.rawValue)], sessionId: sessionId.uuidString)
    }
}

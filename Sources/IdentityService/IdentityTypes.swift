public import Foundation
public import JSONRPC
public import MentorLinkCore
public import ServiceSupport

/// The roles one may register as; `admin` is made only by the CLI.
public enum RegistrationRole: String, Codable, Sendable, CaseIterable, SchemaProviding {
    case mentee
    case mentor
}

public struct RegisterParams: Codable, Sendable {
    public var email: String
    public var password: String
    public var name: String
    public var role: RegistrationRole
}

public struct UserResult: Codable, Sendable { public var user: User }

public struct LoginParams: Codable, Sendable {
    public var email: String
    public var password: String
    /// Scripts without a cookie jar may ask for the refresh token in the body.
    public var returnRefreshToken: Bool?
}

public struct RefreshParams: Codable, Sendable {
    /// For clients without cookies; browsers send the `__Host-ml_rt` cookie instead.
    public var refreshToken: String?
}

public struct SessionResult: Codable, Sendable {
    public var user: User
    public var accessToken: String
    /// ISO 8601 UTC.
    public var accessExpiresAt: String
    /// Present only when asked for (`returnRefreshToken`, or a refresh token sent in the body).
    public var refreshToken: String?
}

public struct OkResult: Codable, Sendable { public var ok: Bool }

public struct ChangePasswordParams: Codable, Sendable {
    public var currentPassword: String
    public var newPassword: String
}

public struct SetRoleParams: Codable, Sendable {
    public var userId: UUID
    public var role: Role
}

public struct UserIdParams: Codable, Sendable { public var userId: UUID }

public struct ListUsersParams: Codable, Sendable {
    public var cursor: String?
    public var limit: Int?
}

public struct UserPage: Codable, Sendable {
    public var items: [User]
    public var nextCursor: String?
}

extension Date {
    /// ISO 8601 UTC, e.g. `2026-11-25T22:21:01Z` (a value-type format style; no formatter object per call).
    var iso8601: String { formatted(.iso8601) }
}

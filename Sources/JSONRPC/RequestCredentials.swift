import Synchronization

/// What a request carries that may identify the caller, taken from the transport by the server.
public struct RequestCredentials: Sendable, Hashable {
    /// The token of an `Authorization: Bearer` header.
    public var bearer: String?
    /// Cookies by name.
    public var cookies: [String: String]
    /// The `Origin` header, if any.
    public var origin: String?
    /// The request changes nothing (`HEAD` of an upload's offset): browsers send no `Origin` on same-origin `GET` and
    /// `HEAD`, so a cookie counts without one there (an `Origin` that is present must still be allowed). Only a
    /// transport endpoint whose handler changes nothing sets it.
    public var safeRequest: Bool

    /// Creates credentials.
    public init(bearer: String? = nil, cookies: [String: String] = [:], origin: String? = nil, safeRequest: Bool = false) {
        self.bearer = bearer
        self.cookies = cookies
        self.origin = origin
        self.safeRequest = safeRequest
    }

    /// Parses a `Cookie` header (`a=1; b=2`).
    public static func parseCookies(_ header: String?) -> [String: String] {
        guard let header else { return [:] }
        var cookies: [String: String] = [:]
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimmingCharacters(in: " ")
            // A cookie name is a non-empty token (RFC 6265); "=value" names nothing (found by FuzzHTTPHead).
            guard !name.isEmpty else { continue }
            if cookies[name] == nil { cookies[name] = parts[1].trimmingCharacters(in: " ") }
        }
        return cookies
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        String(drop(while: { $0 == character }).reversed().drop(while: { $0 == character }).reversed())
    }
}

/// Turns request credentials into a caller; the identity service provides the real one.
public protocol Authenticator: Sendable {
    /// The principal, `nil` when anonymous; throws an ``RPCError`` to refuse the request outright.
    func authenticate(_ credentials: RequestCredentials) async throws -> Principal?
}

/// Treats every request as anonymous.
public struct AnonymousAuthenticator: Authenticator {
    public init() {}
    public func authenticate(_ credentials: RequestCredentials) async throws -> Principal? { nil }
}

/// What a handler asks the transport to add to the HTTP response (cookies). Calls over WebSocket ignore it.
public final class ResponseMetadata: Sendable {
    private let cookies = Mutex<[String]>([])

    public init() {}

    /// Adds a complete `Set-Cookie` value.
    public func setCookie(_ value: String) { cookies.withLock { $0.append(value) } }

    /// The `Set-Cookie` values added so far.
    public var setCookies: [String] { cookies.withLock { $0 } }
}

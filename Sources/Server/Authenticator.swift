public import HTTPTypes
public import JSONRPC

/// Turns request headers into a caller. The identity service provides the real one; the default knows no one.
public protocol Authenticator: Sendable {
    /// The principal for these headers, `nil` when anonymous; throws an ``RPCError`` to refuse the request.
    func authenticate(_ headers: HTTPFields) async throws -> Principal?
}

/// Treats every request as anonymous.
public struct AnonymousAuthenticator: Authenticator {
    public init() {}
    public func authenticate(_ headers: HTTPFields) async throws -> Principal? { nil }
}

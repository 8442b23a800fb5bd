public import Foundation

/// Cross-cutting work around every call (rate limits, audit, metrics): `handle(call, context, next)`.
///
/// Middleware runs after the envelope is valid, the method exists and the caller's role is allowed,
/// for every element of a batch alike.
public protocol RPCMiddleware: Sendable {
    /// Handles one call, usually by calling `next`.
    func handle(_ call: RPCCall, context: RPCContext, next: @Sendable (RPCCall, RPCContext) async throws -> Data) async throws -> Data
}

/// A call on its way to a handler.
public struct RPCCall: Sendable {
    /// The validated request.
    public var request: RPCRequest
    /// The method's declaration.
    public var method: MethodDescriptor
}

/// What the dispatcher reports about each finished call (for metrics and logs).
public struct CallRecord: Sendable {
    /// The method name, or `nil` when the request was not valid enough to have one.
    public var method: String?
    /// The error code, or `nil` on success.
    public var errorCode: Int?
    /// How long the call took.
    public var duration: Duration
}

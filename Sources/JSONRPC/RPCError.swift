import Foundation

/// A JSON-RPC error object: the one error type of this module.
///
/// `message` is safe to show to clients; `data.reason` is the stable machine-readable reason.
/// Internal details never go into it (see ``RPCErrorConvertible``).
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The numeric JSON-RPC code (-32700…-32600 for the spec's errors, application codes outside -32768…-32000).
    public var code: Int
    /// A short, client-safe message.
    public var message: String
    /// Structured data: always carries `reason` for application errors, `fields` for invalid params.
    public var data: [String: JSONValue]

    /// Creates an error with a code, message, and optional stable reason and extra data.
    public init(code: Int, message: String, reason: String? = nil, data: [String: JSONValue] = [:]) {
        self.code = code
        self.message = message
        var data = data
        if let reason { data["reason"] = .string(reason) }
        self.data = data
    }

    /// The stable reason, if any.
    public var reason: String? {
        if case .string(let reason) = data["reason"] { return reason }
        return nil
    }

    public var description: String { "RPCError(\(code), \(message)\(reason.map { ", \($0)" } ?? ""))" }

    // MARK: The errors of the JSON-RPC 2.0 specification

    /// -32700: the text is not JSON.
    public static func parseError() -> RPCError { RPCError(code: -32700, message: "Parse error", reason: "parse_error") }

    /// -32600: the JSON is not a valid request object (or a limit was exceeded).
    public static func invalidRequest(_ detail: String = "Invalid Request", reason: String = "invalid_request") -> RPCError {
        RPCError(code: -32600, message: detail, reason: reason)
    }

    /// -32601: no such method.
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: -32601, message: "Method not found", reason: "method_not_found", data: ["method": .string(method)])
    }

    /// The most field problems one error lists; the rest are counted in `error.data.moreFields`, so a request of
    /// many bad elements cannot make a response many times its own size.
    public static let maxListedProblems = 50

    /// -32602: the params do not fit the method; `fields` names each offending field (at most
    /// ``maxListedProblems``, each field path and problem cut to 200 characters; `moreFields` counts the rest).
    public static func invalidParams(_ fields: [FieldProblem]) -> RPCError {
        RPCError(code: -32602, message: "Invalid params", reason: "invalid_params", data: fieldsData(fields))
    }

    /// `error.data` naming offending fields: `fields` (bounded as in ``invalidParams(_:)``) and `moreFields`.
    public static func fieldsData(_ fields: [FieldProblem]) -> [String: JSONValue] {
        var data: [String: JSONValue] = ["fields": .array(fields.prefix(maxListedProblems).map { $0.bounded.jsonValue })]
        if fields.count > maxListedProblems { data["moreFields"] = .int(Int64(fields.count - maxListedProblems)) }
        return data
    }

    /// -32060: the result would make the answer larger than the worker sends for one body.
    public static func responseTooLarge(limit: Int) -> RPCError {
        RPCError(
            code: -32060,
            message: "The result is larger than \(limit) bytes: ask for less (a narrower range, a smaller limit, fewer calls per batch)",
            reason: "response_too_large", data: ["maxBytes": .int(Int64(limit))])
    }

    /// -32603: something failed inside; nothing about it is told to the client.
    public static func internalError() -> RPCError { RPCError(code: -32603, message: "Internal error", reason: "internal") }

    // MARK: Application errors used by the central dispatch

    /// The caller is not signed in and the method needs a role.
    public static func unauthenticated() -> RPCError { RPCError(code: -32001, message: "Authentication required", reason: "unauthenticated") }

    /// The caller's roles do not allow this method.
    public static func forbidden() -> RPCError { RPCError(code: -32003, message: "Forbidden", reason: "forbidden") }

    /// A rate limit was exceeded; `retryAfter` is in seconds.
    public static func rateLimited(retryAfter: Int) -> RPCError {
        RPCError(code: -32029, message: "Too many requests", reason: "rate_limited", data: ["retryAfter": .int(Int64(retryAfter))])
    }

    /// A dependency is down; the call may be retried.
    public static func unavailable(_ what: String) -> RPCError {
        RPCError(
            code: -32050, message: "Service temporarily unavailable", reason: "unavailable",
            data: ["retryable": .bool(true), "dependency": .string(what)])
    }
}

extension RPCError: RPCErrorConvertible { public var rpcError: RPCError { self } }

/// An error that knows how it appears on the wire. Other errors become ``RPCError/internalError()`` and are logged.
public protocol RPCErrorConvertible: Error {
    /// The client-facing JSON-RPC error.
    var rpcError: RPCError { get }
}

/// One offending field of an invalid-params error.
public struct FieldProblem: Sendable, Hashable {
    /// Dotted path of the field (`agenda.answers.q1`), or `""` for the params as a whole.
    public var field: String
    /// What is wrong, e.g. `required`, `unknown`, `expected string`.
    public var problem: String

    /// Creates a field problem.
    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    var jsonValue: JSONValue { .object(["field": .string(field), "problem": .string(problem)]) }

    /// The problem with its field path and text cut to 200 characters (paths echo client-chosen keys).
    var bounded: FieldProblem { FieldProblem(field: String(field.prefix(200)), problem: String(problem.prefix(200))) }
}

public import JSONRPC

/// The outcome of one in-process call: its result (a JSON object) or error, and the cookies it set.
///
/// `@unchecked Sendable`: the result is a tree of Foundation JSON values (`[String: Any]`), which is never mutated
/// after ``JSONRPC/RPCDispatcher/call(_:_:context:)`` builds it.
public struct Outcome: @unchecked Sendable {
    /// The result, when the call succeeded with an object.
    public var result: [String: Any]?
    /// The error, when the call failed.
    public var error: RPCError?
    /// The `Set-Cookie` values the call added.
    public var cookies: [String]

    /// An outcome from its parts.
    public init(result: [String: Any]?, error: RPCError?, cookies: [String]) {
        self.result = result
        self.error = error
        self.cookies = cookies
    }

    /// The error's `error.data.reason`.
    public var reason: String? { error?.reason }

    /// The value of the cookie `name` that the call set.
    public func cookie(_ name: String) -> String? {
        cookies.first { $0.hasPrefix("\(name)=") }.map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
    }

    /// A nested object of the result, e.g. `object("booking")`.
    public func object(_ key: String) -> [String: Any]? { result?[key] as? [String: Any] }

    /// The offending field names of an `invalid_params` error (`error.data.fields[].field`).
    public var invalidFields: [String] {
        guard case .array(let fields)? = error?.data["fields"] else { return [] }
        return fields.compactMap { field in
            guard case .object(let object) = field, case .string(let name)? = object["field"] else { return nil }
            return name
        }
    }
}

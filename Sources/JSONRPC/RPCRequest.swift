/// A request object that passed the envelope checks of JSON-RPC 2.0.
public struct RPCRequest: Sendable, Hashable {
    /// The id, or `nil` for a notification (no `id` member). An explicit `null` id is `.some(.null)`.
    public var id: JSONValue?
    /// The method name.
    public var method: String
    /// The params (an object or an array), if present.
    public var params: JSONValue?

    /// Whether the caller expects no answer.
    public var isNotification: Bool { id == nil }

    /// Creates a request.
    public init(id: JSONValue?, method: String, params: JSONValue?) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// Validates one element of a call or batch.
    ///
    /// On failure returns the error together with the id to answer with (the request's id when it was usable, else null).
    static func validate(_ value: JSONValue) -> Result<RPCRequest, InvalidEnvelope> {
        guard case .object(let members) = value else {
            return .failure(InvalidEnvelope(id: .null, error: .invalidRequest("Request must be an object")))
        }
        var id: JSONValue? = nil
        if let rawId = members["id"] {
            switch rawId {
            case .string, .int, .double, .null: id = rawId
            default: return .failure(InvalidEnvelope(id: .null, error: .invalidRequest("id must be a string, number or null")))
            }
        }
        let answerId = id ?? .null
        guard members["jsonrpc"] == .string("2.0") else {
            return .failure(InvalidEnvelope(id: answerId, error: .invalidRequest("jsonrpc must be \"2.0\"")))
        }
        guard case .string(let method) = members["method"] else {
            return .failure(InvalidEnvelope(id: answerId, error: .invalidRequest("method must be a string")))
        }
        let params = members["params"]
        switch params {
        case nil, .array?, .object?: break
        default: return .failure(InvalidEnvelope(id: answerId, error: .invalidRequest("params must be an array or an object")))
        }
        for key in members.keys where !["jsonrpc", "id", "method", "params"].contains(key) {
            return .failure(InvalidEnvelope(id: answerId, error: .invalidRequest("unexpected member \"\(key)\"")))
        }
        return .success(RPCRequest(id: id, method: method, params: params))
    }

    /// A request that failed validation, and the id its error is answered with.
    struct InvalidEnvelope: Error {
        var id: JSONValue
        var error: RPCError
    }
}

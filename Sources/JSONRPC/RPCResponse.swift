public import Foundation

/// One JSON-RPC response object, already serialized where it matters for speed.
public struct RPCResponse: Sendable {
    /// The id echoed from the request (null when it could not be read).
    public var id: JSONValue
    /// The outcome.
    public var outcome: Outcome

    /// Result bytes or an error.
    public enum Outcome: Sendable {
        /// The result, encoded as JSON.
        case result(Data)
        /// The error object.
        case error(RPCError)
    }

    /// Creates a response.
    public init(id: JSONValue, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }

    /// The error, if this response carries one.
    public var error: RPCError? {
        if case .error(let error) = outcome { return error }
        return nil
    }

    /// Appends the compact JSON of this response to `out`.
    public func write(into out: inout Data) {
        out.append(contentsOf: #"{"jsonrpc":"2.0","#.utf8)
        switch outcome {
        case .result(let data):
            out.append(contentsOf: #""result":"#.utf8)
            out.append(data)
        case .error(let error):
            out.append(contentsOf: #""error":"#.utf8)
            var object: [String: JSONValue] = ["code": .int(Int64(error.code)), "message": .string(error.message)]
            if !error.data.isEmpty { object["data"] = .object(error.data) }
            out.append(JSONValue.object(object).encoded())
        }
        out.append(contentsOf: #","id":"#.utf8)
        out.append(id.encoded())
        out.append(UInt8(ascii: "}"))
    }

    /// The compact JSON of this response.
    public var encoded: Data {
        var out = Data()
        write(into: &out)
        return out
    }
}

/// What a body of JSON-RPC produces: nothing (only notifications), one response, or a batch.
public enum RPCReply: Sendable {
    /// Nothing to send back (HTTP 204).
    case none
    /// A single response object.
    case single(RPCResponse)
    /// An array of responses.
    case batch([RPCResponse])

    /// The JSON body, or `nil` when nothing is to be sent.
    public var body: Data? {
        switch self {
        case .none: return nil
        case .single(let response): return response.encoded
        case .batch(let responses):
            var out = Data("[".utf8)
            for (index, response) in responses.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                response.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
            return out
        }
    }

    /// Every response in this reply.
    public var responses: [RPCResponse] {
        switch self {
        case .none: []
        case .single(let response): [response]
        case .batch(let responses): responses
        }
    }
}

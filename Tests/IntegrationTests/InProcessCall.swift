import Foundation
import JSONRPC
import Testing

/// The outcome of one in-process call: its result or error, and the cookies it set.
struct Outcome: @unchecked Sendable {
    var result: [String: Any]?
    var error: RPCError?
    var cookies: [String]

    var reason: String? { error?.reason }
    func cookie(_ name: String) -> String? {
        cookies.first { $0.hasPrefix("\(name)=") }.map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
    }
    /// A nested object of the result, e.g. `object("booking")`.
    func object(_ key: String) -> [String: Any]? { result?[key] as? [String: Any] }
}

extension RPCDispatcher {
    /// Runs one call through the dispatcher exactly as a worker would, with an already-resolved principal.
    func call(_ method: String, _ params: String, context: RPCContext) async throws -> Outcome {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        let reply = await handle(body: Array(body.utf8), context: context)
        let response = try #require(reply.responses.first)
        switch response.outcome {
        case .error(let error):
            return Outcome(result: nil, error: error, cookies: context.response.setCookies)
        case .result(let data):
            let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
            return Outcome(result: object, error: nil, cookies: context.response.setCookies)
        }
    }
}

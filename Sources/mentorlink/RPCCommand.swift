import ArgumentParser
import Foundation
import MentorLinkClient

/// `mentorlink rpc METHOD '{params}'`: the scripted client. Prints the result; on an error prints its message
/// and reason to standard error and exits 1.
struct RPCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rpc", abstract: "Call one JSON-RPC method and print the result.")

    @Argument(help: "Method name, e.g. system.ping.") var method: String

    @Argument(help: "Params as JSON (object or array).") var params: String?

    @Option(help: "Base URL of nginx (default: MENTORLINK_URL or http://127.0.0.1:8080).") var url: String?

    @Option(help: "Talk to a worker socket directly instead of nginx.") var socket: String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let endpoint: SocketConnection.Endpoint
        if let socket {
            endpoint = .unix(socket)
        } else {
            let base = URLComponents(string: url ?? environment["MENTORLINK_URL"] ?? "http://127.0.0.1:8080")
            endpoint = .tcp(host: base?.host ?? "127.0.0.1", port: UInt16(base?.port ?? 80))
        }
        var request: [String: Any] = ["jsonrpc": "2.0", "id": 1, "method": method]
        if let params {
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(params.utf8), options: [.fragmentsAllowed]) else {
                throw ValidationError("params are not valid JSON")
            }
            request["params"] = parsed
        }
        var headers = ["Content-Type": "application/json"]
        if let token = environment["MENTORLINK_TOKEN"] { headers["Authorization"] = "Bearer \(token)" }
        let body = try JSONSerialization.data(withJSONObject: request)
        let reply = try HTTPConnection(endpoint).request("POST", "/rpc", headers: headers, body: Array(body))
        guard let object = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any] else {
            FileHandle.standardError.write(Data("HTTP \(reply.status): \(reply.text)\n".utf8))
            throw ExitCode(2)
        }
        if let error = object["error"] as? [String: Any] {
            let data = error["data"] as? [String: Any]
            let reason = data?["reason"] as? String ?? "unknown"
            FileHandle.standardError.write(Data("error \(error["code"] ?? ""): \(error["message"] ?? "") (reason: \(reason))\n".utf8))
            if let detail = data, let text = try? JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]) {
                FileHandle.standardError.write(text + Data("\n".utf8))
            }
            throw ExitCode(1)
        }
        let result = object["result"] ?? NSNull()
        let text = try JSONSerialization.data(
            withJSONObject: result, options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        print(String(decoding: text, as: UTF8.self))
    }
}

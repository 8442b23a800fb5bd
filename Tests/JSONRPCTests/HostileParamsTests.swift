import Foundation
import JSONRPC
import Testing

/// Params an attacker sends: control characters in text, and requests built to make the error bigger than themselves.
@Suite struct HostileParamsTests {
    struct Named: Codable, Sendable {
        var name: String
        var tags: [String]?
        var extra: [String: String]?
        var blob: JSONValue?
    }

    func dispatcher() -> RPCDispatcher {
        var registry = MethodRegistry()
        registry.register("echo", access: .public) { (p: Named, _) -> String in p.name }
        registry.register("sum", access: .public) { (p: [Int], _) -> Int in p.count }
        return RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "t", version: "1"))
    }

    func call(_ params: String) async throws -> [String: Any] {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"echo","params":\#(params)}"#
        let reply = await dispatcher().handle(body: Array(body.utf8), context: TestMethods.context())
        let bytes = try #require(reply.body)
        return try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
    }

    /// Issue 11 §4: a NUL reached PostgreSQL and Redis (and came back as -32603).
    @Test(arguments: [
        #"{"name":"a\u0000b"}"#, #"{"name":"bell\u0007"}"#, #"{"name":"x","tags":["ok","esc\u001b[31m"]}"#, #"{"name":"x","extra":{"k\u0000":"v"}}"#,
        #"{"name":"x","extra":{"k":"del\u007f"}}"#, #"{"name":"x","blob":{"deep":["\u0000"]}}"#, #"{"name":"c1\u0085"}"#,
    ]) func controlCharactersAreInvalidParams(params: String) async throws {
        let response = try await call(params)
        let error = try #require(response["error"] as? [String: Any])
        #expect(error["code"] as? Int == -32602)
        let data = try #require(error["data"] as? [String: Any])
        #expect(data["reason"] as? String == "invalid_params")
        let fields = try #require(data["fields"] as? [[String: String]])
        #expect(fields.contains { $0["problem"]?.contains("control characters") == true }, "\(fields)")
    }

    @Test func tabsAndNewlinesAreText() async throws {
        let response = try await call(#"{"name":"line one\nline\ttwo\r\n"}"#)
        #expect(response["result"] as? String == "line one\nline\ttwo\r\n")
    }

    /// Issue 11 §12: a 1 MiB request of bad elements gave a response of ~30 MB, one problem per element.
    @Test func invalidParamsAreBounded() async throws {
        let elements = Array(repeating: #""x""#, count: 100_000).joined(separator: ",")
        let body = #"{"jsonrpc":"2.0","id":1,"method":"sum","params":[\#(elements)]}"#
        let limits = RPCLimits(maxBodyBytes: 1 << 20)
        var registry = MethodRegistry()
        registry.register("sum", access: .public) { (p: [Int], _) -> Int in p.count }
        let reply = await RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "t", version: "1"), limits: limits).handle(
            body: Array(body.utf8), context: TestMethods.context())
        let bytes = try #require(reply.body)
        #expect(bytes.count < 16 * 1024, "response of \(bytes.count) bytes to a request of \(body.utf8.count)")
        let response = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        let data = try #require((response["error"] as? [String: Any])?["data"] as? [String: Any])
        #expect((data["fields"] as? [Any])?.count == RPCError.maxListedProblems)
        #expect(data["moreFields"] as? Int == 100_000 - RPCError.maxListedProblems)
    }

    @Test func echoedFieldPathsAreBounded() async throws {
        let key = String(repeating: "k", count: 100_000)
        let response = try await call(#"{"name":"x","\#(key)":1}"#)
        let fields = try #require(((response["error"] as? [String: Any])?["data"] as? [String: Any])?["fields"] as? [[String: String]])
        #expect(fields.allSatisfy { ($0["field"]?.count ?? 0) <= 200 })
    }

    /// Issue 11 §12: a 15 KB batch could make ~100 MB of answers. One body's answer is bounded in bytes; results past
    /// the budget become `response_too_large` errors, earlier ones are kept.
    @Test func responsesAreBoundedInBytes() async throws {
        var registry = MethodRegistry()
        registry.register("big", access: .public) { (p: [Int], _) -> String in String(repeating: "x", count: p.first ?? 0) }
        let dispatcher = RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "t", version: "1"), limits: RPCLimits(maxResponseBytes: 10_000))
        let single = await dispatcher.handle(
            body: Array(#"{"jsonrpc":"2.0","id":1,"method":"big","params":[20000]}"#.utf8), context: TestMethods.context())
        #expect(single.responses.first?.error?.reason == "response_too_large")
        let call = #"{"jsonrpc":"2.0","id":1,"method":"big","params":[3000]}"#
        let batch = await dispatcher.handle(
            body: Array("[\(Array(repeating: call, count: 10).joined(separator: ","))]".utf8), context: TestMethods.context())
        #expect(batch.responses.count == 10)
        #expect(batch.responses.prefix(3).allSatisfy { $0.error == nil })
        #expect(batch.responses.dropFirst(3).allSatisfy { $0.error?.reason == "response_too_large" })
        #expect((batch.body?.count ?? .max) < 12_000)
    }
}

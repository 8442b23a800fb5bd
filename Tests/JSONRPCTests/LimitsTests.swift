import Foundation
import JSONRPC
import Testing

@Suite struct LimitsTests {
    @Test func oversizedBodyIsRefused() async {
        let dispatcher = TestMethods.dispatcher(limits: RPCLimits(maxBodyBytes: 100))
        let body = #"{"jsonrpc":"2.0","id":1,"method":"sum","params":["# + String(repeating: "1,", count: 100) + "1]}"
        let reply = await dispatcher.handle(body: Array(body.utf8), context: TestMethods.context())
        #expect(reply.responses.first?.error?.reason == "body_too_large")
    }

    @Test func longBatchIsRefused() async {
        let dispatcher = TestMethods.dispatcher(limits: RPCLimits(maxBatchLength: 3))
        let call = #"{"jsonrpc":"2.0","id":1,"method":"sum","params":[1]}"#
        let reply = await dispatcher.handle(
            body: Array("[\(Array(repeating: call, count: 4).joined(separator: ","))]".utf8), context: TestMethods.context())
        #expect(reply.responses.count == 1)
        #expect(reply.responses.first?.error?.reason == "batch_too_large")
        let ok = await dispatcher.handle(
            body: Array("[\(Array(repeating: call, count: 3).joined(separator: ","))]".utf8), context: TestMethods.context())
        #expect(ok.responses.count == 3)
    }

    @Test func deepNestingIsRefusedWithoutParsing() async {
        let dispatcher = TestMethods.dispatcher()
        let body = String(repeating: "[", count: 100_000)
        let reply = await dispatcher.handle(body: Array(body.utf8), context: TestMethods.context())
        #expect(reply.responses.first?.error?.reason == "nesting_too_deep")
        let quoted = #"{"jsonrpc":"2.0","id":1,"method":"sum","params":[1],"x":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#
        let inString = await dispatcher.handle(body: Array(quoted.utf8), context: TestMethods.context())
        #expect(inString.responses.first?.error?.reason == "invalid_request")
    }

    @Test(arguments: [
        #"{"jsonrpc":"1.0","id":1,"method":"sum","params":[1]}"#, #"{"id":1,"method":"sum","params":[1]}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"sum","params":5}"#, #"{"jsonrpc":"2.0","id":{"a":1},"method":"sum"}"#,
        #"{"jsonrpc":"2.0","id":[1],"method":"sum"}"#, #"{"jsonrpc":"2.0","id":true,"method":"sum"}"#,
    ]) func malformedEnvelopes(body: String) async {
        let reply = await TestMethods.dispatcher().handle(body: Array(body.utf8), context: TestMethods.context())
        #expect(reply.responses.first?.error?.code == -32600)
    }

    @Test func idsAreEchoedExactly() async throws {
        for id in [#""abc""#, "7", "-3", "2.5", "null"] {
            let reply = await TestMethods.dispatcher().handle(
                body: Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"sum","params":[1]}"#.utf8), context: TestMethods.context())
            let text = String(decoding: try #require(reply.body), as: UTF8.self)
            #expect(text.hasSuffix(#","id":\#(id)}"#))
        }
    }

    @Test func internalErrorsLeakNothing() async throws {
        struct Secret: Error { var detail = "password=hunter2" }
        var registry = MethodRegistry()
        registry.register("boom", access: .public) { (_: NoParams, _) -> Int in throw Secret() }
        let reply = await TestMethods.dispatcher(registry: registry).handle(
            body: Array(#"{"jsonrpc":"2.0","id":1,"method":"boom"}"#.utf8), context: TestMethods.context())
        let text = String(decoding: try #require(reply.body), as: UTF8.self)
        #expect(text.contains("-32603"))
        #expect(!text.contains("hunter2"))
    }
}

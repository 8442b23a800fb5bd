import Foundation
import JSONRPC
import Logging
import Testing

/// The examples of section 7 of the JSON-RPC 2.0 specification, run through the dispatcher.
@Suite struct SpecExamplesTests {
    let dispatcher = TestMethods.dispatcher()

    @Test(arguments: [
        (#"{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}"#, #"{"jsonrpc":"2.0","result":19,"id":1}"#),
        (#"{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}"#, #"{"jsonrpc":"2.0","result":-19,"id":2}"#),
        (
            #"{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}"#,
            #"{"jsonrpc":"2.0","result":19,"id":3}"#
        ),
        (
            #"{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}"#,
            #"{"jsonrpc":"2.0","result":19,"id":4}"#
        ),
        (
            #"{"jsonrpc": "2.0", "method": "foobar", "id": "1"}"#,
            #"{"jsonrpc":"2.0","error":{"code":-32601,"data":{"method":"foobar","reason":"method_not_found"},"message":"Method not found"},"id":"1"}"#
        ),
        (
            #"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#,
            #"{"jsonrpc":"2.0","error":{"code":-32700,"data":{"reason":"parse_error"},"message":"Parse error"},"id":null}"#
        ),
    ]) func singleCalls(request: String, expected: String) async throws {
        let reply = await dispatcher.handle(body: Array(request.utf8), context: TestMethods.context())
        #expect(try TestMethods.json(reply.body) == TestMethods.json(Data(expected.utf8)))
    }

    @Test func notificationsAreNotAnswered() async {
        for body in [#"{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}"#, #"{"jsonrpc": "2.0", "method": "foobar"}"#] {
            let reply = await dispatcher.handle(body: Array(body.utf8), context: TestMethods.context())
            #expect(reply.body == nil)
        }
        let onlyNotifications =
            #"[{"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]}, {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}]"#
        #expect(await dispatcher.handle(body: Array(onlyNotifications.utf8), context: TestMethods.context()).body == nil)
    }

    @Test func invalidRequestObject() async throws {
        let reply = await dispatcher.handle(body: Array(#"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#.utf8), context: TestMethods.context())
        let error = try #require(reply.responses.first?.error)
        #expect(error.code == -32600)
        #expect(reply.responses.first?.id == .null)
    }

    @Test func batchWithInvalidJSON() async throws {
        let body = #"[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},{"jsonrpc": "2.0", "method""#
        let reply = await dispatcher.handle(body: Array(body.utf8), context: TestMethods.context())
        guard case .single(let response) = reply else {
            Issue.record("expected one error")
            return
        }
        #expect(response.error?.code == -32700)
    }

    @Test func emptyArrayIsOneInvalidRequest() async throws {
        let reply = await dispatcher.handle(body: Array("[]".utf8), context: TestMethods.context())
        guard case .single(let response) = reply else {
            Issue.record("expected a single object")
            return
        }
        #expect(response.error?.code == -32600)
        #expect(response.id == .null)
    }

    @Test func invalidBatchOfNumbersGivesThreeErrors() async throws {
        let reply = await dispatcher.handle(body: Array("[1,2,3]".utf8), context: TestMethods.context())
        guard case .batch(let responses) = reply else {
            Issue.record("expected a batch")
            return
        }
        #expect(responses.count == 3)
        #expect(responses.allSatisfy { $0.error?.code == -32600 && $0.id == .null })
    }

    @Test func mixedBatch() async throws {
        let body = #"""
            [
                {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
                {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
                {"foo": "boo"},
                {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
            ]
            """#
        let reply = await dispatcher.handle(body: Array(body.utf8), context: TestMethods.context())
        let expected = #"""
            [
                {"jsonrpc": "2.0", "result": 7, "id": "1"},
                {"jsonrpc": "2.0", "result": 19, "id": "2"},
                {"jsonrpc": "2.0", "error": {"code": -32600, "message": "jsonrpc must be \"2.0\"", "data": {"reason": "invalid_request"}}, "id": null},
                {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found", "data": {"method": "foo.get", "reason": "method_not_found"}}, "id": "5"},
                {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
            ]
            """#
        #expect(try TestMethods.json(reply.body) == TestMethods.json(Data(expected.utf8)))
    }
}

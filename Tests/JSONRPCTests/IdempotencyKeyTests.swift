import Foundation
import JSONRPC
import Testing

/// The dispatcher checks the `idempotencyKey` of every method registered `idempotent`, before its params are
/// decoded, and leaves the key of any other method alone.
@Suite struct IdempotencyKeyTests {
    struct KeyedParams: Codable, Sendable { var idempotencyKey: String? }

    static func registry() -> MethodRegistry {
        var registry = MethodRegistry()
        registry.register("test.keyed", access: .public, idempotent: true) { (p: KeyedParams, _) in p.idempotencyKey ?? "none" }
        registry.register("test.plain", access: .public) { (p: KeyedParams, _) in p.idempotencyKey ?? "none" }
        return registry
    }

    let dispatcher = TestMethods.dispatcher(registry: registry())

    func call(_ method: String, key: String) async throws -> RPCResponse? {
        let params = String(decoding: try JSONEncoder().encode(["idempotencyKey": key]), as: UTF8.self)
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        return await dispatcher.handle(body: Array(body.utf8), context: TestMethods.context(nil)).responses.first
    }

    @Test(arguments: ["", " ", "with space", "tab\tkey", "nul\u{0}", "é-accent", "\u{7F}", String(repeating: "k", count: 101)])
    func aKeyBreakingTheRuleIsInvalidParams(_ key: String) async throws {
        let error = try #require(try await call("test.keyed", key: key)?.error)
        #expect(error.code == -32602)
        guard case .array(let fields)? = error.data["fields"] else {
            Issue.record("no fields: \(error)")
            return
        }
        // Every problem is on the key, and the rule is among them (a control character is also the schema's problem).
        #expect(fields.allSatisfy { $0.objectValue?["field"] == .string("idempotencyKey") }, "\(fields)")
        #expect(fields.contains { $0.objectValue?["problem"] == .string(IdempotencyKey.rule) }, "\(fields)")
        // A method that is not idempotent does not apply the rule (control characters are refused in every string).
        let plain = try await call("test.plain", key: key)?.error
        #expect(plain == nil || !"\(plain?.data ?? [:])".contains(IdempotencyKey.rule), "\(String(describing: plain))")
    }

    @Test(arguments: ["k", "k-1", UUID().uuidString, String(repeating: "~", count: 100), "!#$%&'()*+,-./:;<=>?@[]^_`{|}"])
    func aKeyFollowingTheRuleReachesTheHandler(_ key: String) async throws {
        let response = try #require(try await call("test.keyed", key: key))
        #expect(response.error == nil, "\(String(describing: response.error))")
    }

    /// Positional params are mapped onto the declared fields first, so the key is checked there too.
    @Test func aPositionalKeyIsHeldToTheRule() async throws {
        func positional(_ key: String) async throws -> RPCResponse? {
            let params = String(decoding: try JSONEncoder().encode([key]), as: UTF8.self)
            let body = #"{"jsonrpc":"2.0","id":1,"method":"test.keyed","params":\#(params)}"#
            return await dispatcher.handle(body: Array(body.utf8), context: TestMethods.context(nil)).responses.first
        }
        #expect(try await positional(String(repeating: "k", count: 3000))?.error?.code == -32602)
        #expect(try await positional("")?.error?.code == -32602)
        #expect(try await positional("k-1")?.error == nil)
    }
}

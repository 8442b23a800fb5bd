import Foundation
import JSONRPC
import Testing

@Suite struct RegistryTests {
    enum Kind: String, Codable, Sendable, CaseIterable, SchemaProviding {
        case oneOnOne = "one_on_one"
        case group
    }

    struct Slot: Codable, Sendable {
        var start: String
        var minutes: Int
    }

    struct BookParams: Codable, Sendable {
        var mentorId: String
        var kind: Kind
        var slots: [Slot]
        var note: String?
        var tags: [String: Int]?
    }

    static func registry() -> MethodRegistry {
        var registry = MethodRegistry()
        registry.register("test.book", access: .only(.mentee), rateLimit: .booking, idempotent: true) { (p: BookParams, _) in p.slots.count }
        registry.register("test.admin", access: .only(.admin)) { (_: NoParams, context) in context.principal?.userId ?? "" }
        registry.register("test.any", access: .authenticated) { (_: NoParams, _) in true }
        return registry
    }

    let dispatcher = TestMethods.dispatcher(registry: registry())

    func call(_ body: String, as principal: Principal? = nil) async -> RPCResponse? {
        await dispatcher.handle(body: Array(body.utf8), context: TestMethods.context(principal)).responses.first
    }

    @Test func invalidParamsNameEveryField() async throws {
        let response = await call(
            #"{"jsonrpc":"2.0","id":1,"method":"test.book","params":{"kind":"solo","slots":[{"start":5}],"extra":true}}"#,
            as: Principal(userId: "u1", roles: [.mentee]))
        let error = try #require(response?.error)
        #expect(error.code == -32602)
        guard case .array(let fields)? = error.data["fields"] else {
            Issue.record("no fields")
            return
        }
        let names = Set(fields.compactMap { $0.objectValue?["field"] }.compactMap { if case .string(let s) = $0 { s } else { nil } })
        #expect(names == ["mentorId", "kind", "slots[0].start", "slots[0].minutes", "extra"])
    }

    @Test func validParamsReachTheHandler() async throws {
        let response = await call(
            #"{"jsonrpc":"2.0","id":1,"method":"test.book","params":{"mentorId":"m","kind":"group","slots":[{"start":"x","minutes":30},{"start":"y","minutes":60}]}}"#,
            as: Principal(userId: "u1", roles: [.mentee]))
        guard case .result(let data)? = response?.outcome else {
            Issue.record("expected result, got \(String(describing: response?.error))")
            return
        }
        #expect(String(decoding: data, as: UTF8.self) == "2")
    }

    @Test func rolesAreCheckedCentrally() async throws {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"test.admin"}"#
        #expect(await call(body)?.error?.reason == "unauthenticated")
        #expect(await call(body, as: Principal(userId: "m", roles: [.mentor]))?.error?.reason == "forbidden")
        #expect(await call(body, as: Principal(userId: "a", roles: [.admin]))?.error == nil)
        #expect(await call(#"{"jsonrpc":"2.0","id":1,"method":"test.any"}"#)?.error?.reason == "unauthenticated")
    }

    @Test func openRPCDescribesEveryMethod() async throws {
        let response = try #require(await call(#"{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}"#))
        guard case .result(let data) = response.outcome else {
            Issue.record("no result")
            return
        }
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((document["openrpc"] as? String)?.hasPrefix("1.3") == true)
        let methods = try #require(document["methods"] as? [[String: Any]])
        #expect(Set(methods.compactMap { $0["name"] as? String }) == ["test.book", "test.admin", "test.any", "rpc.discover"])
        let book = try #require(methods.first { $0["name"] as? String == "test.book" })
        let params = try #require(book["params"] as? [[String: Any]])
        #expect(params.map { $0["name"] as? String } == ["mentorId", "kind", "slots", "note", "tags"])
        let kind = try #require(params[1]["schema"] as? [String: Any])
        #expect(kind["enum"] as? [String] == ["one_on_one", "group"])
        #expect(params[3]["required"] as? Bool == false)
        #expect(book["x-rate-limit"] as? String == "booking")
        #expect(book["x-idempotent"] as? Bool == true)
        #expect(book["x-access"] as? [String] == ["mentee"])
    }

    @Test func schemaOfNestedTypes() {
        guard case .object(let properties) = SchemaRecorder.schema(for: BookParams.self) else {
            Issue.record("not an object")
            return
        }
        #expect(
            properties.first { $0.name == "slots" }?.schema
                == .array(.object([.init(name: "start", schema: .string, required: true), .init(name: "minutes", schema: .integer, required: true)])))
        #expect(properties.first { $0.name == "tags" }?.schema == .dictionary(.integer))
    }
}

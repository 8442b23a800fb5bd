import Foundation

/// The `info` block of the OpenRPC document.
public struct OpenRPCInfo: Sendable, Hashable {
    public var title: String
    public var version: String
    public init(title: String, version: String) {
        self.title = title
        self.version = version
    }
}

/// Renders an OpenRPC 1.3 document from the registry: every method with its params and result schemas.
enum OpenRPCDocument {
    static func render(methods: [MethodDescriptor], info: OpenRPCInfo) -> Data {
        var entries = methods.map(entry)
        entries.append(discoverEntry)
        let document: JSONValue = .object([
            "openrpc": "1.3.2", "info": .object(["title": .string(info.title), "version": .string(info.version)]), "methods": .array(entries),
        ])
        return document.encoded()
    }

    static func entry(_ method: MethodDescriptor) -> JSONValue {
        let params: [JSONValue]
        let structure: String
        switch method.paramsSchema {
        case .object(let properties):
            structure = "either"
            params = properties.map { property in
                .object(["name": .string(property.name), "required": .bool(property.required), "schema": property.schema.jsonValue])
            }
        default:
            structure = "by-position"
            params = [.object(["name": "params", "required": .bool(true), "schema": method.paramsSchema.jsonValue])]
        }
        return .object([
            "name": .string(method.name), "summary": .string(method.summary), "paramStructure": .string(structure), "params": .array(params),
            "result": .object(["name": "result", "schema": method.resultSchema.jsonValue]), "x-access": method.access.jsonValue,
            "x-rate-limit": .string(method.rateLimit.rawValue), "x-idempotent": .bool(method.idempotent),
        ])
    }

    static let discoverEntry: JSONValue = .object([
        "name": "rpc.discover", "summary": "This OpenRPC document.", "params": .array([]),
        "result": .object([
            "name": "OpenRPC Schema", "schema": .object(["$ref": "https://raw.githubusercontent.com/open-rpc/meta-schema/master/schema.json"]),
        ]), "x-access": "public",
    ])
}

extension MethodRegistry {
    /// Adds `rpc.discover`, which returns the pre-rendered document.
    mutating func registerDiscover(document: Data) {
        let value = (try? JSONCoding.decoder.decode(JSONValue.self, from: document)) ?? .null
        methods["rpc.discover"] = MethodDescriptor(
            name: "rpc.discover", summary: "This OpenRPC document.", access: .public, rateLimit: .standard, idempotent: false
        ) { (_: NoParams, _: RPCContext) -> JSONValue in value }
    }
}

import Foundation
import JSONRPC
import Logging
import Synchronization

/// The test-only methods of the specification's examples.
enum TestMethods {
    struct Subtract: Codable, Sendable {
        var minuend: Int
        var subtrahend: Int
    }

    static let updates = Mutex<[[Int]]>([])

    static func registry() -> MethodRegistry {
        var registry = MethodRegistry()
        registry.register("subtract", access: .public) { (p: Subtract, _) in p.minuend - p.subtrahend }
        registry.register("sum", access: .public) { (p: [Int], _) in p.reduce(0, +) }
        registry.register("notify_sum", access: .public) { (p: [Int], _) in p.reduce(0, +) }
        registry.register("update", access: .public) { (p: [Int], _) in
            updates.withLock { $0.append(p) }
            return true
        }
        registry.register("notify_hello", access: .public) { (p: [Int], _) in p.first ?? 0 }
        registry.register("get_data", access: .public) { (_: NoParams, _) -> [JSONValue] in ["hello", .int(5)] }
        return registry
    }

    static func dispatcher(limits: RPCLimits = RPCLimits(), registry: MethodRegistry = registry()) -> RPCDispatcher {
        RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "test", version: "0"), limits: limits)
    }

    static func context(_ principal: Principal? = nil) -> RPCContext {
        RPCContext(requestId: "test", logger: Logger(label: "test"), principal: principal)
    }

    static func json(_ data: Data?) throws -> NSObject {
        try JSONSerialization.jsonObject(with: data ?? Data("null".utf8), options: [.fragmentsAllowed]) as! NSObject
    }
}

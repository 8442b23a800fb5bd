import Dispatch
import Foundation
import FuzzSupport
import JSONRPC
import Logging

/// The envelope and dispatch path: any body gives a valid JSON-RPC answer (an object or a non-empty array of
/// response objects with `jsonrpc: "2.0"` and exactly one of result/error) or no body at all, and never a trap.
struct Echo: Codable, Sendable {
    var text: String
    var count: Int?
    var tags: [String]?
    var nested: [String: [Int]]?
}

let dispatcher: RPCDispatcher = {
    var registry = MethodRegistry()
    registry.mount(SystemService(version: "fuzz", gitCommit: nil))
    registry.register("fuzz.echo", access: .public) { (p: Echo, _) -> Echo in p }
    registry.register("fuzz.sum", access: .public) { (p: [Int], _) -> Int in p.reduce(0) { $0 &+ $1 } }
    registry.register("fuzz.admin", access: .only(.admin)) { (_: NoParams, _) -> Bool in true }
    registry.register("fuzz.fail", access: .public) { (_: NoParams, _) -> Bool in throw RPCError.invalidParams([]) }
    return RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "fuzz", version: "0"), limits: RPCLimits(maxResponseBytes: 64 << 10))
}()

let quiet = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

final class Box: @unchecked Sendable {  // written once by the task, read after the semaphore: ordered by it
    var reply: RPCReply = .none
}

func fuzzDispatch(_ bytes: [UInt8]) {
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        box.reply = await dispatcher.handle(body: bytes, context: RPCContext(requestId: "fuzz", logger: quiet))
        done.signal()
    }
    done.wait()
    guard let body = box.reply.body else { return }
    guard let document = try? JSONValue.parse(body, maxDepth: 64) else { fatalError("the answer is not JSON") }
    let responses: [JSONValue]
    switch document {
    case .array(let items):
        precondition(!items.isEmpty, "an empty batch answer")
        responses = items
    default:
        responses = [document]
    }
    for response in responses {
        guard case .object(let members) = response, members["jsonrpc"] == .string("2.0") else { fatalError("not a response object") }
        precondition((members["result"] == nil) != (members["error"] == nil), "result and error together, or neither")
        if case .object(let error)? = members["error"], case .object(let data)? = error["data"] {
            precondition(data["reason"] != nil, "an error without a reason")
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzDispatch(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
#else
@main struct Replay {
    static func main() { CorpusReplay.run(Array(CommandLine.arguments.dropFirst()), fuzzDispatch) }
}
#endif

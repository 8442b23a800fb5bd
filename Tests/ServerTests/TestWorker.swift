import Foundation
import JSONRPC
import Logging
import MentorLinkClient
import Server
import ServiceLifecycle
import Synchronization

/// Starts an in-process worker on a temporary Unix socket, runs `body`, then shuts it down gracefully.
enum TestWorker {
    /// The markers of the `test.sleep` calls running now (in any test's worker).
    static let sleeping = Mutex(Set<Int>())

    static func registry() -> MethodRegistry {
        var registry = MethodRegistry()
        registry.mount(SystemService(version: "test", gitCommit: nil))
        // [milliseconds, marker?]: the marker is in `sleeping` while the call runs.
        registry.register("test.sleep", access: .public) { (ms: [Int], _) -> Bool in
            let marker = ms.dropFirst().first
            if let marker { sleeping.withLock { _ = $0.insert(marker) } }
            defer { if let marker { sleeping.withLock { _ = $0.remove(marker) } } }
            try await Task.sleep(for: .milliseconds(ms.first ?? 0))
            return true
        }
        // Pushes N notifications of 4 KiB to the caller's WebSocket; returns how many were accepted.
        registry.register("test.flood", access: .public) { (count: [Int], context: RPCContext) -> Int in
            let text = #"{"jsonrpc":"2.0","method":"subscription","params":{"pad":"\#(String(repeating: "x", count: 4096))"}}"#
            return (0..<(count.first ?? 0)).reduce(0) { total, _ in total + (context.session?.push(text) == true ? 1 : 0) }
        }
        return registry
    }

    static func run(
        limits: RPCLimits = RPCLimits(), configure: (inout WorkerConfiguration) -> Void = { _ in }, prepare: (String) throws -> Void = { _ in },
        _ body: @escaping @Sendable (SocketConnection.Endpoint, Control) throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ml-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/worker-0.sock"
        try prepare(path)
        var logger = Logger(label: "test.worker")
        logger.logLevel = .warning
        let metrics = WorkerMetrics()
        var configuration = WorkerConfiguration(socketPath: path, limits: limits, maxWebSocketMessageBytes: 4096)
        configure(&configuration)
        let server = WorkerServer(
            configuration: configuration,
            dispatcher: RPCDispatcher(
                registry: registry(), info: OpenRPCInfo(title: "t", version: "0"), limits: limits, observer: { metrics.record($0) }),
            metrics: metrics, logger: logger)
        // Up means listening (the readiness signal), not "the socket file exists": that is true from bind on, before
        // listen, and a first connect then got ECONNREFUSED.
        let (listening, signal) = AsyncStream<Void>.makeStream()
        let application = try server.makeApplication(onListening: { signal.finish() })
        let group = ServiceGroup(services: [application, server.sessions], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { signal.finish() }  // a server that fails to start ends the wait too
                try await group.run()
            }
            for await _ in listening {}
            let control = Control(group: group, metrics: metrics)
            do { try await offThePool { try body(.unix(path), control) } } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// What a test body may do to the running worker.
    struct Control: Sendable {
        let group: ServiceGroup
        let metrics: WorkerMetrics

        /// Starts a graceful shutdown (as SIGTERM would) without waiting for it.
        func shutdown() {
            let group = self.group
            Task { await group.triggerGracefulShutdown() }
        }
    }

    /// The mock client blocks on sockets, so it runs on its own thread, never on the cooperative pool
    /// the worker's handlers need.
    static func offThePool(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread {
                do {
                    try body()
                    continuation.resume()
                } catch { continuation.resume(throwing: error) }
            }.start()
        }
    }

    static func post(_ connection: HTTPConnection, _ body: String, contentType: String = "application/json") throws -> HTTPReply {
        try connection.request("POST", "/rpc", headers: ["Content-Type": contentType], body: Array(body.utf8))
    }
}

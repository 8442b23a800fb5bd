import HummingbirdWebSocket
import NIOWebSocket
public import ServiceLifecycle
import Synchronization

/// The worker's open WebSockets. As a `Service` placed after the HTTP server in the `ServiceGroup`, it is the first
/// to hear of a graceful shutdown: it stops new upgrades and closes every socket with 1001 (going away),
/// before the HTTP server drains its in-flight calls.
public final class WebSocketSessions: Service, Sendable {
    private struct State {
        var accepting = true
        var nextId = 0
        var writers: [Int: WebSocketOutboundWriter] = [:]
    }

    private let state = Mutex(State())
    private let drainDeadline: Duration

    /// Creates the registry; `drainDeadline` bounds how long shutdown waits for clients to acknowledge the close.
    public init(drainDeadline: Duration = .seconds(3)) { self.drainDeadline = drainDeadline }

    /// Whether new upgrades are accepted.
    public var isAccepting: Bool { state.withLock { $0.accepting } }

    /// The number of open sockets.
    public var count: Int { state.withLock { $0.writers.count } }

    /// Registers a socket; returns its id, or `nil` when shutting down.
    func add(_ writer: WebSocketOutboundWriter) -> Int? {
        state.withLock { state in
            guard state.accepting else { return nil }
            state.nextId += 1
            state.writers[state.nextId] = writer
            return state.nextId
        }
    }

    func remove(_ id: Int) { _ = state.withLock { $0.writers.removeValue(forKey: id) } }

    public func run() async throws {
        try? await gracefulShutdown()
        let writers = state.withLock { state in
            state.accepting = false
            return Array(state.writers.values)
        }
        await withTaskGroup(of: Void.self) { group in
            for writer in writers { group.addTask { try? await writer.close(.goingAway, reason: "server shutting down") } }
        }
        let deadline = ContinuousClock.now + drainDeadline
        while count > 0, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    }
}

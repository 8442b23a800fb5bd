import Foundation
import JSONRPC
import Logging
import MentorLinkClient
import MentorLinkCore
import RealtimeService
import RedisAdapter
import Server
import Synchronization
import Testing

/// A bus whose `listen` waits until the test opens the gate, so subscriptions can be caught mid-way.
final class GatedBus: EventBus {
    private let state = Mutex<(next: Int, listeners: [Int: String], pending: Int, open: Bool, waiting: [CheckedContinuation<Void, Never>])>(
        (0, [:], 0, false, []))

    var listenerCount: Int { state.withLock { $0.listeners.count } }
    var pending: Int { state.withLock { $0.pending } }

    func open() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    func publish(channel: String, event: [UInt8]) async throws -> Int64 { 0 }
    func history(channel: String, after seq: Int64) async throws -> ChannelHistory { ChannelHistory(events: [], recovered: true, latest: 0) }

    func listen(channel: String, _ handler: @escaping @Sendable (ChannelEvent) -> Void) async throws -> ListenerToken {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                state.pending += 1
                if state.open { return true }
                state.waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        return state.withLock { state in
            state.next += 1
            state.listeners[state.next] = channel
            return ListenerToken(channel: channel, id: state.next)
        }
    }

    func stopListening(_ token: ListenerToken) async { _ = state.withLock { $0.listeners.removeValue(forKey: token.id) } }
}

/// A WebSocket session stand-in.
final class FakeSession: RPCSession {
    let id = UUID().uuidString
    private let state = Mutex<(closed: Bool, handlers: [@Sendable () -> Void])>((false, []))

    func push(_ text: String) -> Bool { !state.withLock { $0.closed } }

    func onClose(_ body: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if state.closed { return true }
            state.handlers.append(body)
            return false
        }
        if now { body() }
    }

    func close() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.closed else { return [] }
            state.closed = true
            return state.handlers
        }
        for handler in handlers { handler() }
    }
}

/// Subscriptions racing their session's close: every listener is released, whatever the order.
@Suite(.timeLimit(.minutes(1))) struct RealtimeSubscriptionTests {
    /// Polls (briefly) until `condition` holds; the expectation after it says whether it did.
    func settle(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<300 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test func subscriptionsCaughtByTheCloseAreReleased() async throws {
        let bus = GatedBus()
        let subscriptions = Subscriptions(bus: bus)
        let session = FakeSession()
        let context = RPCContext(
            requestId: "t", logger: TestEnvironment.logger, principal: nil, clientAddress: nil, transport: .webSocket,
            credentials: RequestCredentials(bearer: nil, cookies: [:], origin: nil), session: session)
        // A batch of ten subscribes, all waiting in listen when the session closes.
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<10 { group.addTask { _ = try? await subscriptions.subscribe(context, channel: "availability:\(index)", sinceSeq: nil) } }
            try? await settle { bus.pending == 10 }
            session.close()
            try? await settle { subscriptions.count == 0 }
            bus.open()
        }
        // And one more after the close.
        _ = try? await subscriptions.subscribe(context, channel: "availability:late", sinceSeq: nil)
        try await settle { bus.listenerCount == 0 && subscriptions.count == 0 }
        #expect(bus.listenerCount == 0)
        #expect(subscriptions.count == 0)
    }

    @Test func aBatchOfSubscribesAndAnImmediateCloseLeaveNoListener() async throws {
        try await RealtimeHarness.with { harness in
            let mentor = try await harness.user(.mentor)
            for worker in 0..<2 {
                try await harness.clients {
                    let socket = try WebSocketConnection(harness.socket(worker))
                    let batch = (0..<40).map {
                        #"{"jsonrpc":"2.0","id":\#($0),"method":"availability.subscribe","params":{"mentorId":"\#(mentor.id)"}}"#
                    }
                    try socket.send(text: "[\(batch.joined(separator: ","))]")
                    socket.socket.shutdown()
                }
                let bus = harness.workers[worker].bus
                let subscriptions = harness.workers[worker].subscriptions
                try await settle { bus.listenerCount == 0 && subscriptions.count == 0 && harness.workers[worker].sessions.count == 0 }
                #expect(harness.workers[worker].sessions.count == 0)
                #expect(bus.listenerCount == 0)
                #expect(subscriptions.count == 0)
            }
        }
    }
}

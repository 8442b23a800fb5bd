import Dispatch
import Foundation
import JSONRPC
import Synchronization
import Testing

/// Calls fail fast when what they wait on is away: a call over the deadline is answered `unavailable` (the handler
/// cancelled, even one that ignores cancellation), and a driver's outage error is answered as the translator says.
@Suite struct DeadlineTests {
    struct DriverDown: Error {}

    /// Holds the stuck handler until the test lets it go, and says whether it finished.
    final class Gate: Sendable {
        private let waiting = Mutex<CheckedContinuation<Void, Never>?>(nil)
        private let done = Mutex(false)

        /// Waits until ``open()``, ignoring cancellation.
        func wait() async {
            await withCheckedContinuation { continuation in waiting.withLock { $0 = continuation } }
            done.withLock { $0 = true }
        }

        /// Lets the waiter go (once it waits).
        func open() async {
            while true {
                if let continuation = waiting.withLock({ $0.take() }) { return continuation.resume() }
                try? await Task.sleep(for: .milliseconds(10))
            }
        }

        var finished: Bool { done.withLock { $0 } }
    }

    static let gate = Gate()
    static let instantGate = Gate()

    static func registry() -> MethodRegistry {
        var registry = MethodRegistry()
        // Ignores cancellation, as a query waiting on a pool that cannot connect does.
        registry.register("stuck", access: .public) { (_: NoParams, _) -> Bool in
            await gate.wait()
            return true
        }
        registry.register("down", access: .public) { (_: NoParams, _) -> Bool in throw DriverDown() }
        registry.register("fine", access: .public) { (_: NoParams, _) -> Bool in true }
        // Declared instant (it is not: it waits on the gate), so the test sees that no deadline watches it.
        registry.register("instant", access: .public, rateLimit: .none, instant: true) { (_: NoParams, _) -> Bool in
            await instantGate.wait()
            return true
        }
        return registry
    }

    static func call(_ dispatcher: RPCDispatcher, _ method: String) async -> RPCError? {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)"}"#
        return await dispatcher.handle(body: Array(body.utf8), context: TestMethods.context()).responses.first?.error
    }

    @Test func aStuckCallIsAnsweredUnavailableAtItsDeadline() async {
        let dispatcher = TestMethods.dispatcher(limits: RPCLimits(callDeadline: .milliseconds(300)), registry: Self.registry())
        let error = await Self.call(dispatcher, "stuck")
        #expect(error?.reason == "unavailable")
        #expect(error?.data["dependency"] == .string("deadline"))
        #expect(error?.data["retryable"] == .bool(true))
        // Answered while the handler was still held: the answer did not wait for it (no timing involved).
        #expect(!Self.gate.finished, "the answer waited for the stuck handler")
        await Self.gate.open()
        #expect(await Self.call(dispatcher, "fine") == nil)
    }

    /// An instant method (`system.ping`) runs without the deadline's race: held past the deadline, it is still answered
    /// with its result once it returns, not `unavailable`.
    @Test func anInstantMethodRunsOutsideTheDeadline() async {
        let dispatcher = TestMethods.dispatcher(limits: RPCLimits(callDeadline: .milliseconds(50)), registry: Self.registry())
        let answer = Task { await Self.call(dispatcher, "instant") }
        try? await Task.sleep(for: .milliseconds(200))
        await Self.instantGate.open()
        #expect(await answer.value == nil, "an instant method was cut off by the call deadline")
        #expect(await Self.call(dispatcher, "unknown.method")?.code == -32601)
    }

    @Test func driverOutagesAreTranslatedAndOthersStayInternal() async {
        let translating = RPCDispatcher(
            registry: Self.registry(), info: OpenRPCInfo(title: "test", version: "0"),
            translateError: { $0 is DriverDown ? .unavailable("postgres") : nil })
        let error = await Self.call(translating, "down")
        #expect(error?.reason == "unavailable")
        #expect(error?.data["dependency"] == .string("postgres"))
        #expect(await Self.call(TestMethods.dispatcher(registry: Self.registry()), "down")?.code == -32603)
    }
}

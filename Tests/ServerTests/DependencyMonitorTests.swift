import Foundation
import JSONRPC
import Logging
import MentorLinkCore
import Server
import Synchronization
import Testing

/// While PostgreSQL is down, calls are refused at once as `unavailable` (found by scripts/chaos: each call waited out
/// its deadline in a pool that could not connect); `system.*` is still served, and one good probe lifts it.
@Suite struct DependencyMonitorTests {
    final class Switch: HealthCheck, Sendable {
        let name = "postgres"
        let up = Mutex(true)
        func check() async throws {
            struct Down: Error {}
            if !up.withLock({ $0 }) { throw Down() }
        }
    }

    func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }

    @Test func refusesWhileDownAndServesAgainAfterOneGoodProbe() async throws {
        let dependency = Switch()
        let monitor = DependencyMonitor(checks: [dependency], interval: .milliseconds(10), logger: Logger(label: "test"))
        let running = Task { try await monitor.run() }
        defer { running.cancel() }
        #expect(monitor.refusal(for: "booking.create") == nil)
        dependency.up.withLock { $0 = false }
        try await eventually { monitor.refusal(for: "booking.create") != nil }
        #expect(monitor.refusal(for: "booking.create")?.reason == "unavailable")
        #expect(monitor.refusal(for: "booking.create")?.data["dependency"] == .string("postgres"))
        #expect(monitor.refusal(for: "system.ping") == nil)
        dependency.up.withLock { $0 = true }
        try await eventually { monitor.refusal(for: "booking.create") == nil }
    }
}

import BookingService
import Foundation
import Logging
import MentorLinkCore
import Synchronization
import Testing

/// The escrow-release and reminder services on in-memory ports: they pass the configured grace period and the
/// configured clock to the store, drain due escrows in batches, and keep running after a failed run.
@Suite struct PeriodicServicesTests {
    static let now = Instant(iso8601: "2027-05-03T15:10:00Z")!

    /// Records each call; answers with the queued batch sizes (then 0), throwing where the queue says so.
    final class FakeJobs: EscrowReleasing, ReminderScheduling {
        struct Call: Sendable, Equatable {
            var now: Instant
            var grace: Duration?
            var limit: Int?
            var fees: PlatformFeePolicy?
        }
        struct Failure: Error {}
        let state: Mutex<(answers: [Int?], calls: [Call])>

        init(answers: [Int?]) { state = Mutex((answers, [])) }

        var calls: [Call] { state.withLock { $0.calls } }

        func next(_ call: Call) throws -> Int {
            let answer: Int?? = state.withLock { state in
                state.calls.append(call)
                return state.answers.isEmpty ? .some(0) : state.answers.removeFirst()
            }
            guard let count = answer ?? nil else { throw Failure() }
            return count
        }

        func releaseDueEscrows(now: Instant, grace: Duration, limit: Int, fees: PlatformFeePolicy) async throws -> Int {
            try next(Call(now: now, grace: grace, limit: limit, fees: fees))
        }

        func scheduleReminders(now: Instant) async throws -> Int { try next(Call(now: now)) }
    }

    static func configuration(grace: Duration) -> BookingConfiguration {
        var configuration = BookingConfiguration()
        configuration.completionGrace = grace
        configuration.now = { now }
        return configuration
    }

    @Test func escrowReleaseUsesTheConfiguredGraceFeeAndClockAndDrainsFullBatches() async throws {
        let store = FakeJobs(answers: [3, 3, 1])
        var configuration = Self.configuration(grace: .seconds(7200))
        configuration.platformFee = PlatformFeePolicy(percent: 15)
        let service = EscrowReleaseService(store: store, configuration: configuration, batchSize: 3, logger: Logger(label: "test"))
        #expect(try await service.releaseDue() == 7)
        let call = FakeJobs.Call(now: Self.now, grace: .seconds(7200), limit: 3, fees: PlatformFeePolicy(percent: 15))
        #expect(store.calls == Array(repeating: call, count: 3))
    }

    @Test func reminderServiceUsesTheConfiguredClock() async throws {
        let store = FakeJobs(answers: [2])
        let service = ReminderService(store: store, configuration: Self.configuration(grace: .seconds(1)), logger: Logger(label: "test"))
        #expect(try await service.scheduleDue() == 2)
        #expect(store.calls == [FakeJobs.Call(now: Self.now)])
    }

    @Test(.timeLimit(.minutes(1))) func aFailedRunIsRetriedAtTheNextIntervalAndCancellationStopsTheService() async throws {
        let store = FakeJobs(answers: [nil, 1])
        let service = EscrowReleaseService(
            store: store, configuration: Self.configuration(grace: .seconds(60)), interval: .milliseconds(5), logger: Logger(label: "test"))
        let running = Task { try await service.run() }
        while store.calls.count < 3 { try await Task.sleep(for: .milliseconds(5)) }
        running.cancel()
        try await running.value
        #expect(store.calls.allSatisfy { $0.grace == .seconds(60) })
    }
}

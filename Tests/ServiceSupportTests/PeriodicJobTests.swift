import Testing

@testable import ServiceSupport

/// A job that fails waits longer each time in a row (up to 10 s), so a 200 ms job does not log 10 lines a second
/// while its database is down (``PeriodicJob/run()`` resets the count on a success).
@Suite struct PeriodicJobTests {
    @Test func failuresInARowBackOffToTenSeconds() {
        let fast = Duration.milliseconds(200)
        #expect(PeriodicJob.wait(after: 0, interval: fast) == fast)
        #expect(PeriodicJob.wait(after: 1, interval: fast) == .milliseconds(400))
        #expect(PeriodicJob.wait(after: 3, interval: fast) == .milliseconds(1600))
        #expect(PeriodicJob.wait(after: 6, interval: fast) == .seconds(10))
        #expect(PeriodicJob.wait(after: 10_000, interval: fast) == .seconds(10))
        // A job slower than the ceiling keeps its own interval.
        #expect(PeriodicJob.wait(after: 5, interval: .seconds(30)) == .seconds(30))
    }
}

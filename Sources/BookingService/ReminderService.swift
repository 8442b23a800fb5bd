public import Logging
public import MentorLinkCore
public import ServiceLifecycle
import ServiceSupport

/// Schedules the 24-hour and 15-minute session reminders (`booking.reminder` events) every ``interval`` until
/// shutdown. Every worker runs one: the store writes each reminder once, however many run at the same time.
public struct ReminderService: Service {
    let store: any ReminderScheduling
    let configuration: BookingConfiguration
    /// Time between runs: 60 seconds by default.
    public let interval: Duration
    let logger: Logger

    /// A service scheduling by `configuration`'s clock.
    public init(store: any ReminderScheduling, configuration: BookingConfiguration, interval: Duration = .seconds(60), logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.interval = interval
        self.logger = logger
    }

    /// Schedules the reminders due now; returns how many were scheduled.
    public func scheduleDue() async throws -> Int { try await store.scheduleReminders(now: configuration.now()) }

    /// Runs ``scheduleDue()`` every ``interval`` until shutdown; a failed run is logged and retried at the next.
    public func run() async throws { await PeriodicJob(name: "reminders", interval: interval, logger: logger) { try await scheduleDue() }.run() }
}

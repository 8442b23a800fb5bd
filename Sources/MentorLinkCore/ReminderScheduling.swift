/// Schedules session reminders: the port the reminder service runs on.
public protocol ReminderScheduling: Sendable {
    /// Writes a `booking.reminder` outbox event for each confirmed booking or seat starting within 24 hours (kind
    /// `24h`, when more than 15 minutes away) or 15 minutes (`15m`), once per booking and kind however many
    /// processes run it; returns how many were scheduled.
    func scheduleReminders(now: Instant) async throws -> Int
}

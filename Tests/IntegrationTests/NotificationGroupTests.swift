import EventPipeline
import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import Synchronization
import Testing

/// Group sessions: cancelling one tells every seat holder; a reminder reaches the mentor once per session, not once
/// per seat.
@Suite(.timeLimit(.minutes(2))) struct NotificationGroupTests {
    /// Runs the outbox's events (as the relay would publish them) through a notifications consumer.
    func deliver(_ harness: BookingHarness) async throws {
        let outbox = PostgresOutbox(pool: harness.pool, logger: TestEnvironment.logger)
        let messages = Mutex<[[UInt8]]>([])
        while try await outbox.pending() > 0 {
            _ = try await outbox.relay(limit: 100) { events in messages.withLock { $0 += events.map(OutboxRelay.message) } }
        }
        let consumer = NotificationConsumer(
            store: PostgresNotificationStore(pool: harness.pool, logger: TestEnvironment.logger), bus: EventPipelineTests.RecordingBus(),
            logger: TestEnvironment.logger)
        for message in messages.withLock({ $0 }) { try await consumer.handle(message) }
    }

    func notes(_ harness: BookingHarness, _ user: BookingHarness.User, _ type: String) async throws -> Int {
        try await harness.count("SELECT count(*)::int FROM notifications WHERE user_id = \(user.id) AND type = \(type)")
    }

    @Test func groupCancellationNotifiesSeatHoldersAndRemindersReachTheMentorOnce() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor()
            let group = try await harness.ok(
                "sessions.createGroup", #"{"start":"2027-05-04T15:00:00Z","minutes":60,"capacity":3,"title":"Clinic","topic":"Career"}"#, as: mentor)
            let groupId = try #require((group["booking"] as? [String: Any])?["id"] as? String)
            var mentees: [BookingHarness.User] = []
            for _ in 0..<3 {
                let mentee = try await harness.user(.mentee)
                try await harness.ok("booking.join", #"{"groupSessionId":"\#(groupId)"}"#, as: mentee)
                mentees.append(mentee)
            }
            // Reminders a day ahead: each seat holder one, the mentor one (not three).
            _ = try await harness.bookings.scheduleReminders(now: Instant(iso8601: "2027-05-03T15:10:00Z")!)
            try await deliver(harness)
            for mentee in mentees { #expect(try await notes(harness, mentee, "booking.reminder") == 1) }
            #expect(try await notes(harness, mentor, "booking.reminder") == 1)
            // A seat holder who left before the cancellation hears only of their own cancellation.
            let seats = try await harness.ok("booking.list", "{}", as: mentees[2])
            let seatId = try #require(((seats["items"] as? [[String: Any]])?.first)?["id"] as? String)
            try await harness.ok("booking.cancel", #"{"bookingId":"\#(seatId)"}"#, as: mentees[2])
            try await harness.ok("booking.cancel", #"{"bookingId":"\#(groupId)","reason":"ill"}"#, as: mentor)
            try await deliver(harness)
            #expect(try await notes(harness, mentees[0], "booking.cancelled") == 1)
            #expect(try await notes(harness, mentees[1], "booking.cancelled") == 1)
            #expect(try await notes(harness, mentees[2], "booking.cancelled") == 1)
            #expect(try await notes(harness, mentor, "booking.cancelled") == 2)  // the seat that left, then the session
        }
    }
}

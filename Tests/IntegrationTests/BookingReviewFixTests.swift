import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import Testing

/// The hostile review of reschedules: an accepted proposal must be the one the responder saw, checked under the
/// booking's lock (`proposal_changed` otherwise).
@Suite(.timeLimit(.minutes(2))) struct BookingReviewFixTests {
    func proposed(_ harness: BookingHarness) async throws -> (mentor: BookingHarness.User, mentee: BookingHarness.User, id: String) {
        let mentor = try await harness.mentor(minutes: [60], price: 10)
        let mentee = try await harness.user(.mentee)
        try await harness.fund(mentee, 10)
        let created = try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-04T10:00:00Z","minutes":60}"#, as: mentee)
        let id = try #require((created["booking"] as? [String: Any])?["id"] as? String)
        try await harness.ok("booking.reschedule", #"{"bookingId":"\#(id)","start":"2027-05-05T10:00:00Z"}"#, as: mentor)
        return (mentor, mentee, id)
    }

    func start(_ harness: BookingHarness, _ id: String, as user: BookingHarness.User) async throws -> [String?] {
        let booking = try #require(try await harness.ok("booking.get", #"{"bookingId":"\#(id)"}"#, as: user)["booking"] as? [String: Any])
        return [booking["start"] as? String, booking["proposedStart"] as? String]
    }

    /// The mentee saw 10:00 on the 5th; the mentor changed it to the 6th before the mentee's accept arrived.
    @Test func acceptingAProposalThatChangedSinceItWasSeenIsRefused() async throws {
        try await BookingHarness.with { harness in
            let (mentor, mentee, id) = try await proposed(harness)
            try await harness.ok("booking.reschedule", #"{"bookingId":"\#(id)","start":"2027-05-06T10:00:00Z"}"#, as: mentor)
            let stale = try await harness.call(
                "booking.respondReschedule", #"{"bookingId":"\#(id)","accept":true,"proposedStart":"2027-05-05T10:00:00Z"}"#, as: mentee)
            #expect(stale.reason == "proposal_changed", "\(String(describing: stale.result))")
            #expect(try await start(harness, id, as: mentee) == ["2027-05-04T10:00:00Z", "2027-05-06T10:00:00Z"])
            // The proposal as it is now: accepted.
            let accepted = try await harness.ok(
                "booking.respondReschedule", #"{"bookingId":"\#(id)","accept":true,"proposedStart":"2027-05-06T10:00:00Z"}"#, as: mentee)
            #expect((accepted["booking"] as? [String: Any])?["start"] as? String == "2027-05-06T10:00:00Z")
        }
    }

    /// The proposal changes while the accept waits for the booking's lock (after the service read it): the accept
    /// must not move the booking to the start the mentor withdrew.
    @Test func aProposalChangedUnderTheAcceptIsNotAccepted() async throws {
        try await BookingHarness.with { harness in
            let (mentor, mentee, id) = try await proposed(harness)
            let bookingId = try #require(UUID(uuidString: id))
            let newStart = try #require(Instant(iso8601: "2027-05-06T10:00:00Z")).date
            let accepting = try await harness.pool.client.withTransaction(logger: TestEnvironment.logger) { side in
                for try await _ in try await side.query("SELECT 1 FROM bookings WHERE id = \(bookingId) FOR UPDATE", logger: TestEnvironment.logger) {
                }
                let accepting = Task { try await harness.call("booking.respondReschedule", #"{"bookingId":"\#(id)","accept":true}"#, as: mentee) }
                var waited = false
                for _ in 0..<500 where !waited {
                    waited =
                        try await harness.count(
                            "SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0
                    if !waited { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(waited)
                // The mentor's new proposal, committed while the accept waits.
                try await side.query(
                    "UPDATE bookings SET proposed_start = \(newStart), proposed_by = \(mentor.id) WHERE id = \(bookingId)",
                    logger: TestEnvironment.logger)
                return accepting
            }
            let outcome = try await accepting.value
            #expect(outcome.reason == "proposal_changed", "\(String(describing: outcome.result))")
            #expect(try await start(harness, id, as: mentee) == ["2027-05-04T10:00:00Z", "2027-05-06T10:00:00Z"])
        }
    }

    /// Clients that do not send `proposedStart` keep working.
    @Test func anAcceptWithoutTheProposedStartStillWorks() async throws {
        try await BookingHarness.with { harness in
            let (_, mentee, id) = try await proposed(harness)
            let accepted = try await harness.ok("booking.respondReschedule", #"{"bookingId":"\#(id)","accept":true}"#, as: mentee)
            #expect((accepted["booking"] as? [String: Any])?["start"] as? String == "2027-05-05T10:00:00Z")
        }
    }
}

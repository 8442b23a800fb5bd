import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import Testing

/// Issue 11 §6: either side could move a paid booking to any free slot, even minutes away (and escrow then released
/// to the mentor), and a mentee inside the late-cancel window could reschedule out of it and cancel for a full refund.
@Suite(.timeLimit(.minutes(2))) struct RescheduleConsentTests {
    func paidBooking(_ harness: BookingHarness, start: String) async throws -> (mentor: BookingHarness.User, mentee: BookingHarness.User, id: String)
    {
        let mentor = try await harness.mentor(minutes: [60], price: 10)
        let mentee = try await harness.user(.mentee)
        try await harness.fund(mentee, 10)
        let created = try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(start)","minutes":60}"#, as: mentee)
        return (mentor, mentee, try #require((created["booking"] as? [String: Any])?["id"] as? String))
    }

    @Test func theMentorProposesAndTheMenteeDecides() async throws {
        try await BookingHarness.with { harness in
            let (mentor, mentee, id) = try await paidBooking(harness, start: "2027-05-04T10:00:00Z")
            // Minutes away: before, this moved the session at once.
            let proposed = try await harness.ok("booking.reschedule", #"{"bookingId":"\#(id)","start":"2027-05-03T09:00:00Z"}"#, as: mentor)
            #expect(proposed["pendingAcceptance"] as? Bool == true)
            let booking = try #require(proposed["booking"] as? [String: Any])
            #expect(booking["start"] as? String == "2027-05-04T10:00:00Z")
            #expect(booking["proposedStart"] as? String == "2027-05-03T09:00:00Z")
            #expect(try await harness.call("booking.respondReschedule", #"{"bookingId":"\#(id)","accept":true}"#, as: mentor).reason == "forbidden")
            let accepted = try await harness.ok("booking.respondReschedule", #"{"bookingId":"\#(id)","accept":true}"#, as: mentee)
            let moved = try #require(accepted["booking"] as? [String: Any])
            #expect(moved["start"] as? String == "2027-05-03T09:00:00Z")
            #expect(moved["proposedStart"] == nil)
        }
    }

    @Test func aLateMenteeCannotRescheduleOutOfTheWindowAlone() async throws {
        try await BookingHarness.with { harness in
            let (mentor, mentee, id) = try await paidBooking(harness, start: "2027-05-03T12:00:00Z")  // 6 hours ahead
            let proposed = try await harness.ok("booking.reschedule", #"{"bookingId":"\#(id)","start":"2027-05-10T12:00:00Z"}"#, as: mentee)
            #expect(proposed["pendingAcceptance"] as? Bool == true)
            let declined = try await harness.ok("booking.respondReschedule", #"{"bookingId":"\#(id)","accept":false}"#, as: mentor)
            #expect((declined["booking"] as? [String: Any])?["start"] as? String == "2027-05-03T12:00:00Z")
            #expect(
                try await harness.call("booking.respondReschedule", #"{"bookingId":"\#(id)","accept":true}"#, as: mentee).reason == "invalid_state")
            // Still inside the window: a cancellation now is late, and refunds nothing.
            let cancelled = try await harness.ok("booking.cancel", #"{"bookingId":"\#(id)"}"#, as: mentee)
            #expect((cancelled["policy"] as? [String: Any])?["late"] as? Bool == true)
            #expect(try await harness.wallet(mentee).available == 0)
        }
    }

    @Test func aMenteeWithNoticeMovesAtOnce() async throws {
        try await BookingHarness.with { harness in
            let (_, mentee, id) = try await paidBooking(harness, start: "2027-05-05T10:00:00Z")
            let moved = try await harness.ok("booking.reschedule", #"{"bookingId":"\#(id)","start":"2027-05-06T10:00:00Z"}"#, as: mentee)
            #expect(moved["pendingAcceptance"] == nil)
            #expect((moved["booking"] as? [String: Any])?["start"] as? String == "2027-05-06T10:00:00Z")
        }
    }
}

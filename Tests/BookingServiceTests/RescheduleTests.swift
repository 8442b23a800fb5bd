import BookingService
import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import ServiceSupport
import Testing

/// Reschedule consent and its atomicity (the live `RescheduleConsentTests` and the reschedule half of `BookingTests`).
@Suite struct RescheduleTests {
    static let ten = "2027-05-03T10:00:00Z"

    @Test func aMoveOntoAnotherBookingChangesNothingAndAProposalIsAccepted() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let (alice, bob) = (h.user(.mentee), h.user(.mentee))
        let a = try await h.bookId(mentor, Self.ten, as: alice)
        _ = try await h.bookId(mentor, "2027-05-03T12:00:00Z", as: bob)
        #expect(try await h.reason("booking.reschedule", #"{"bookingId":"\#(a)","start":"2027-05-03T12:00:00Z"}"#, as: alice) == "slot_taken")
        #expect(try await h.reason("booking.reschedule", #"{"bookingId":"\#(a)","start":"2027-05-03T05:00:00Z"}"#, as: alice) == "invalid_params")
        #expect(try await h.reason("booking.reschedule", #"{"bookingId":"\#(a)","start":"2027-05-03T19:00:00Z"}"#, as: alice) == "slot_taken")
        #expect(try await h.reason("booking.reschedule", #"{"bookingId":"\#(UUID())","start":"2027-05-03T14:00:00Z"}"#, as: alice) == "not_found")
        #expect(try await h.reason("booking.reschedule", #"{"bookingId":"\#(a)","start":"2027-05-03T14:00:00Z"}"#, as: bob) == "forbidden")
        let proposed = try await h.ok("booking.reschedule", #"{"bookingId":"\#(a)","start":"2027-05-03T14:00:00Z"}"#, as: alice)
        #expect(proposed["pendingAcceptance"] as? Bool == true)
        // The proposer cannot accept their own proposal; a stale proposedStart is proposal_changed.
        #expect(try await h.reason("booking.respondReschedule", #"{"bookingId":"\#(a)","accept":true}"#, as: alice) == "forbidden")
        #expect(
            try await h.reason(
                "booking.respondReschedule", #"{"bookingId":"\#(a)","accept":true,"proposedStart":"2027-05-03T15:00:00Z"}"#, as: mentor)
                == "proposal_changed")
        let moved = try await h.call(
            "booking.respondReschedule", #"{"bookingId":"\#(a)","accept":true,"proposedStart":"2027-05-03T14:00:00Z"}"#, as: mentor)
        #expect(moved.booking("start") as? String == "2027-05-03T14:00:00Z")
        #expect(moved.booking("proposedStart") == nil)
        #expect(try await h.slots(mentor).contains(Self.ten))
        #expect(h.database.events("booking.rescheduled").count == 1)
        #expect(try await h.reason("booking.respondReschedule", #"{"bookingId":"\#(a)","accept":true}"#, as: mentor) == "invalid_state")
    }

    @Test func theMentorProposesAndTheMenteeDeclines() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let mentee = h.user(.mentee)
        let id = try await h.bookId(mentor, "2027-05-05T10:00:00Z", as: mentee)
        let proposed = try await h.ok("booking.reschedule", #"{"bookingId":"\#(id)","start":"2027-05-05T13:00:00Z"}"#, as: mentor)
        #expect(proposed["pendingAcceptance"] as? Bool == true)
        let declined = try await h.call("booking.respondReschedule", #"{"bookingId":"\#(id)","accept":false}"#, as: mentee)
        #expect(declined.booking("start") as? String == "2027-05-05T10:00:00Z" && declined.booking("proposedStart") == nil)
        #expect(h.database.events("booking.reschedule_withdrawn").count == 1)
    }

    @Test func aMenteeWithNoticeMovesAtOnceButNotIntoTheWindow() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let mentee = h.user(.mentee)
        let id = try await h.bookId(mentor, "2027-05-05T10:00:00Z", as: mentee)
        let moved = try await h.call("booking.reschedule", #"{"bookingId":"\#(id)","start":"2027-05-06T10:00:00Z"}"#, as: mentee)
        #expect(moved.booking("start") as? String == "2027-05-06T10:00:00Z" && moved.result?["pendingAcceptance"] == nil)
        // Into the late window: only a proposal.
        let late = try await h.ok("booking.reschedule", #"{"bookingId":"\#(id)","start":"2027-05-03T15:00:00Z"}"#, as: mentee)
        #expect(late["pendingAcceptance"] as? Bool == true)
        // An admin moves it at once.
        let admin = h.user(.admin)
        let byAdmin = try await h.call("booking.reschedule", #"{"bookingId":"\#(id)","start":"2027-05-03T16:00:00Z"}"#, as: admin)
        #expect(byAdmin.booking("start") as? String == "2027-05-03T16:00:00Z")
    }

    @Test func anAcceptAfterTheProposalChangedIsRefusedByTheStore() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let mentee = h.user(.mentee)
        let id = try await h.bookId(mentor, Self.ten, as: mentee)
        _ = try await h.ok("booking.reschedule", #"{"bookingId":"\#(id)","start":"2027-05-03T14:00:00Z"}"#, as: mentor)
        let bookingId = try #require(UUID(uuidString: id))
        // The store's own check: the answer names the mentor's proposal, but the pending one is now the mentee's.
        _ = try await h.stores.bookings.setRescheduleProposal(
            bookingId: bookingId, start: Instant(iso8601: "2027-05-03T14:00:00Z"), by: mentee.id, now: h.clock.now, audit: nil)
        let outcome = try await h.stores.bookings.reschedule(
            bookingId: bookingId, start: try #require(Instant(iso8601: "2027-05-03T14:00:00Z")), now: h.clock.now, audit: nil,
            freeRuns: FreeRunPolicy(),
            slot: SlotRequest(
                start: try #require(Instant(iso8601: "2027-05-03T14:00:00Z")), minutes: 60,
                answering: .init(start: try #require(Instant(iso8601: "2027-05-03T14:00:00Z")), proposer: mentor.id)))
        guard case .proposalChanged = outcome else {
            Issue.record("expected proposalChanged, got \(outcome)")
            return
        }
        #expect(try await h.stores.bookings.booking(id: bookingId)?.start == Instant(iso8601: Self.ten))
    }
}

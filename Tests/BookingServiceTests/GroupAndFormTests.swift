import BookingService
import Foundation
import JSONRPC
import Logging
import MentorLinkCore
import MentorLinkTesting
import ServiceSupport
import Testing

/// Group sessions, seats and their escrow, forms and agendas, availability rules, reminders and the release job.
@Suite struct GroupAndFormTests {
    func group(
        _ h: MarketplaceHarness, _ mentor: Caller, capacity: Int = 2, price: Int = 0, start: String = "2027-05-04T15:00:00Z"
    ) async throws -> String {
        let created = try await h.call(
            "sessions.createGroup",
            #"{"start":"\#(start)","minutes":60,"capacity":\#(capacity),"title":"Office hours","topic":"Swift","priceCredits":\#(price)}"#, as: mentor
        )
        return try #require(created.booking("id") as? String, "\(String(describing: created.error))")
    }

    @Test func groupSeatsAreNeverExceeded() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let id = try await group(h, mentor)
        let (a, b, c) = (h.user(.mentee), h.user(.mentee), h.user(.mentee))
        #expect(try await h.reason("booking.join", #"{"groupSessionId":"\#(id)"}"#, as: a) == nil)
        #expect(try await h.reason("booking.join", #"{"groupSessionId":"\#(id)"}"#, as: a) == "already_joined")
        #expect(try await h.reason("booking.join", #"{"groupSessionId":"\#(id)"}"#, as: b) == nil)
        #expect(try await h.reason("booking.join", #"{"groupSessionId":"\#(id)"}"#, as: c) == "capacity_full")
        #expect(try await h.reason("booking.join", #"{"groupSessionId":"\#(id)"}"#, as: mentor) == "forbidden")
        #expect(try await h.reason("booking.join", #"{"groupSessionId":"\#(UUID())"}"#, as: c) == "not_found")
        let listed = try await h.ok("sessions.listGroups", #"{"mentorId":"\#(mentor.id)"}"#)
        #expect((listed["items"] as? [[String: Any]])?.first?["seatsTaken"] as? Int == 2)
        // A seat cancelled frees it; the group session cancelled cancels the seats.
        let seats = try await h.ok("booking.list", #"{"as":"mentee"}"#, as: b)
        let seat = try #require((seats["items"] as? [[String: Any]])?.first?["id"] as? String)
        #expect(try await h.reason("booking.cancel", #"{"bookingId":"\#(seat)"}"#, as: b) == nil)
        #expect(try await h.reason("booking.join", #"{"groupSessionId":"\#(id)"}"#, as: c) == nil)
        #expect(try await h.reason("booking.cancel", #"{"bookingId":"\#(id)"}"#, as: mentor) == nil)
        #expect(h.database.countBookings { $0.kind == .groupSeat && $0.status == .confirmed } == 0)
        #expect(try await h.reason("booking.join", #"{"groupSessionId":"\#(id)"}"#, as: b) == "invalid_state")
        // A group session blocks the mentor's 1:1 time.
        _ = try await group(h, mentor, start: "2027-05-05T10:00:00Z")
        #expect(try await h.book(mentor, "2027-05-05T10:00:00Z", as: a).reason == "slot_taken")
    }

    @Test func groupParamsAreChecked() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let bad = try await h.call(
            "sessions.createGroup", #"{"start":"2027-05-03T05:00:00Z","minutes":3,"capacity":0,"title":" ","topic":"x","priceCredits":-1}"#,
            as: mentor)
        #expect(bad.reason == "invalid_params")
        #expect(Set(bad.invalidFields) == ["start", "minutes", "capacity", "title", "priceCredits"])
        #expect(
            try await h.reason(
                "sessions.createGroup", #"{"start":"2027-05-04T15:00:00Z","minutes":60,"capacity":2,"title":"T","topic":"x"}"#, as: h.user(.mentee))
                == "forbidden")
        #expect(
            try await h.reason("sessions.createGroup", #"{"start":"2027-05-04T15:00:00Z","minutes":60,"capacity":2,"title":"T","topic":"x"}"#)
                == "unauthenticated")
        // A session that is over takes no seat.
        let id = try await group(h, mentor, start: "2027-05-03T07:00:00Z")
        h.clock.advance(minutes: 61)
        #expect(try await h.reason("booking.join", #"{"groupSessionId":"\#(id)"}"#, as: h.user(.mentee)) == "invalid_state")
    }

    @Test func paidSeatsHoldEscrowAndACancelledGroupRefundsThem() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let id = try await group(h, mentor, price: 4)
        let (rich, poor) = (h.user(.mentee), h.user(.mentee))
        try h.fund(rich, 10)
        #expect(try await h.reason("booking.join", #"{"groupSessionId":"\#(id)"}"#, as: poor) == "insufficient_credits")
        #expect(h.database.countBookings { $0.kind == .groupSeat } == 0)
        #expect(try await h.reason("booking.join", #"{"groupSessionId":"\#(id)"}"#, as: rich) == nil)
        #expect(h.wallet(rich) == Wallet(available: 6, escrow: 4, earnings: 0))
        #expect(try await h.reason("booking.cancel", #"{"bookingId":"\#(id)"}"#, as: mentor) == nil)
        #expect(h.wallet(rich) == Wallet(available: 10, escrow: 0, earnings: 0))
    }

    @Test func cancellationRefundsOrReleasesByPolicyAndTheJobReleasesOnce() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor(price: 10)
        let mentee = h.user(.mentee)
        try h.fund(mentee, 30)
        // Three bookings afford 30 credits; a fourth is insufficient_credits and leaves nothing behind.
        let early = try await h.bookId(mentor, "2027-05-06T10:00:00Z", as: mentee)
        let late = try await h.bookId(mentor, "2027-05-03T10:00:00Z", as: mentee)
        let done = try await h.bookId(mentor, "2027-05-03T12:00:00Z", as: mentee)
        #expect(try await h.book(mentor, "2027-05-03T14:00:00Z", as: mentee).reason == "insufficient_credits")
        #expect(h.database.countBookings() == 3)
        #expect(h.wallet(mentee) == Wallet(available: 0, escrow: 30, earnings: 0))
        let refunded = try await h.ok("booking.cancel", #"{"bookingId":"\#(early)"}"#, as: mentee)
        #expect((refunded["policy"] as? [String: Any])?["escrow"] as? String == "refunded")
        let released = try await h.ok("booking.cancel", #"{"bookingId":"\#(late)"}"#, as: mentee)
        #expect((released["policy"] as? [String: Any])?["escrow"] as? String == "released")
        #expect(h.wallet(mentee) == Wallet(available: 10, escrow: 10, earnings: 0))
        #expect(h.wallet(mentor).earnings == 9)
        _ = done
        let release = EscrowReleaseService(
            store: h.stores.bookings,
            configuration: {
                var configuration = BookingConfiguration()
                configuration.now = { h.clock.now }
                return configuration
            }(), logger: .testing)
        #expect(try await release.releaseDue() == 0)
        h.clock.advance(minutes: 8 * 60)
        #expect(try await release.releaseDue() == 1)
        #expect(try await release.releaseDue() == 0)
        #expect(h.wallet(mentor).earnings == 18)
        #expect(h.wallet(mentee).escrow == 0)
        #expect(try await h.stores.payments.reconcile().ok)
    }

    @Test func cancellingAFrozenBookingRefundsTheMentee() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor(price: 10)
        let mentee = h.user(.mentee)
        try h.fund(mentee, 10)
        let id = try await h.bookId(mentor, "2027-05-03T10:00:00Z", as: mentee)
        h.database.updateUser(mentor.id, disabled: true)
        let cancelled = try await h.call("booking.cancel", #"{"bookingId":"\#(id)"}"#, as: mentee)
        #expect(cancelled.booking("escrowState") as? String == "refunded")
        #expect(h.wallet(mentee).available == 10 && h.wallet(mentor).earnings == 0)
    }

    @Test func agendaFollowsTheMentorsForm() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let mentee = h.user(.mentee)
        let form =
            #"{"questions":[{"id":"goal","label":"Goal?","kind":"text","required":true},{"id":"level","label":"Level","kind":"choice","required":false,"choices":["junior","senior"]},{"id":"repo","label":"Repo","kind":"url","required":false}]}"#
        try await h.ok("forms.setTemplate", form, as: mentor)
        #expect((try await h.ok("forms.get", #"{"mentorId":"\#(mentor.id)"}"#)["questions"] as? [Any])?.count == 3)
        let badForm = try await h.call(
            "forms.setTemplate", #"{"questions":[{"id":"a b","label":"","kind":"text","required":true,"choices":["x"]}]}"#, as: mentor)
        #expect(
            badForm.reason == "invalid_params" && Set(badForm.invalidFields) == ["questions[0].id", "questions[0].label", "questions[0].choices"])
        let wrong = try await h.book(mentor, "2027-05-03T10:00:00Z", as: mentee, extra: #","agenda":{"level":"guru","repo":"ftp://x","extra":"?"}"#)
        #expect(wrong.reason == "invalid_agenda")
        #expect(h.database.countBookings() == 0)
        let id = try await h.bookId(mentor, "2027-05-03T10:00:00Z", as: mentee, extra: #","agenda":{"goal":"Learn actors"}"#)
        #expect(try await h.reason("booking.submitAgenda", #"{"bookingId":"\#(id)","answers":{"goal":"x"}}"#, as: mentor) == "forbidden")
        #expect(try await h.reason("booking.submitAgenda", #"{"bookingId":"\#(id)","answers":{}}"#, as: mentee) == "invalid_agenda")
        #expect(try await h.reason("booking.submitAgenda", #"{"bookingId":"\#(UUID())","answers":{}}"#, as: mentee) == "not_found")
        let saved = try await h.call(
            "booking.submitAgenda", #"{"bookingId":"\#(id)","answers":{"goal":"Actors","repo":"https://example.com/r"}}"#, as: mentee)
        #expect((saved.booking("agenda") as? [String: String])?["repo"] == "https://example.com/r")
        h.clock.advance(minutes: 5 * 60)
        #expect(try await h.reason("booking.submitAgenda", #"{"bookingId":"\#(id)","answers":{"goal":"late"}}"#, as: mentee) == "invalid_state")
    }

    @Test func availabilityRulesAreCheckedAndShapeTheGrid() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = h.user(.mentor)
        let bad = try await h.call(
            "availability.set",
            #"{"timeZone":"Mars/Base","weekly":[{"day":"mon","start":"10:00","end":"09:00"},{"day":"tue","start":"09:00","end":"12:00"},{"day":"tue","start":"11:00","end":"13:00"}],"bufferBeforeMinutes":300,"horizonDays":0}"#,
            as: mentor)
        #expect(bad.reason == "invalid_params")
        #expect(Set(bad.invalidFields) == ["timeZone", "weekly[0].end", "weekly", "bufferBeforeMinutes", "horizonDays"])
        #expect(try await h.reason("availability.set", #"{"timeZone":"UTC","weekly":[]}"#, as: h.user(.mentee)) == "forbidden")
        try await h.ok(
            "availability.set",
            #"{"timeZone":"UTC","weekly":[{"day":"mon","start":"09:00","end":"17:00"}],"bufferBeforeMinutes":10,"bufferAfterMinutes":20}"#, as: mentor
        )
        #expect(
            (try await h.ok("availability.get", #"{"mentorId":"\#(mentor.id)"}"#)["availability"] as? [String: Any])?["bufferAfterMinutes"] as? Int
                == 20)
        #expect(try await h.slots(mentor, minutes: 30) == (9...16).map { "2027-05-03T\(String(format: "%02d", $0)):00:00Z" })
        _ = try await h.bookId(mentor, "2027-05-03T10:00:00Z", minutes: 30, as: h.user(.mentee))
        let hour = try await h.slots(mentor, minutes: 60)
        #expect(!hour.contains("2027-05-03T10:30:00Z") && hour.contains("2027-05-03T12:00:00Z"))
        #expect(h.database.events("availability.changed").count == 1)
    }

    @Test func remindersAreScheduledOnce() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        _ = try await h.bookId(mentor, "2027-05-03T10:00:00Z", as: h.user(.mentee))
        let reminders = ReminderService(
            store: h.stores.bookings,
            configuration: {
                var configuration = BookingConfiguration()
                configuration.now = { h.clock.now }
                return configuration
            }(), logger: .testing)
        #expect(try await reminders.scheduleDue() == 1)
        #expect(try await reminders.scheduleDue() == 0)
        h.clock.advance(minutes: 3 * 60 + 50)
        #expect(try await reminders.scheduleDue() == 1)
        #expect(h.database.events("booking.reminder").count == 2)
    }

    @Test func anOutageIsUnavailable() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        h.database.outage.set(true)
        #expect(try await h.book(mentor, "2027-05-03T10:00:00Z", as: h.user(.mentee)).reason == "unavailable")
        h.database.outage.set(false)
        #expect(try await h.book(mentor, "2027-05-03T10:00:00Z", as: h.user(.mentee)).error == nil)
    }
}

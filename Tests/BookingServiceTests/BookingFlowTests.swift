import BookingService
import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import ServiceSupport
import Testing

/// Booking, holds, idempotency, cancel and groups through the handlers on the in-memory stores (the service-logic
/// half of the live `BookingTests`, `BookingHardeningTests` and `EscrowTests`).
@Suite struct BookingFlowTests {
    static let ten = "2027-05-03T10:00:00Z"

    @Test func bookingTakesTheSlotAndIdempotencyReplays() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let (alice, bob) = (h.user(.mentee), h.user(.mentee))
        #expect(try await h.slots(mentor).count == 8)
        let first = try await h.book(mentor, Self.ten, as: alice, extra: #","idempotencyKey":"k-1""#)
        #expect(first.booking("status") as? String == "confirmed")
        #expect(first.booking("end") as? String == "2027-05-03T11:00:00Z")
        let again = try await h.book(mentor, Self.ten, as: alice, extra: #","idempotencyKey":"k-1""#)
        #expect(again.booking("id") as? String == first.booking("id") as? String)
        #expect(again.result?["replayed"] as? Bool == true)
        #expect(h.database.countBookings { $0.status == .confirmed } == 1)
        #expect(try await h.book(mentor, "2027-05-03T12:00:00Z", as: alice, extra: #","idempotencyKey":"k-1""#).reason == "idempotency_mismatch")
        #expect(!(try await h.slots(mentor).contains(Self.ten)))
        #expect(try await h.book(mentor, Self.ten, as: bob).reason == "slot_taken")
        #expect(try await h.book(mentor, "2027-05-03T10:30:00Z", minutes: 30, as: bob).reason == "slot_taken")
        #expect(try await h.book(mentor, "2027-05-03T11:00:00Z", minutes: 30, as: bob).error == nil)
        #expect(h.database.events("booking.created").count == 2)
        #expect(h.database.auditActions().filter { $0 == "booking.create" }.count == 2)
    }

    @Test func badTimesGetTheirReasons() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor { $0.minNoticeMinutes = 240 }
        let mentee = h.user(.mentee)
        #expect(try await h.book(mentor, "2027-05-03T09:00:00Z", as: mentee).reason == "min_notice")
        #expect(try await h.book(mentor, "2027-05-03T18:00:00Z", as: mentee).reason == "outside_availability")
        #expect(try await h.book(mentor, "2027-05-03T12:15:00Z", as: mentee).reason == "outside_availability")
        // No 45-minute session type: the unknown session type is outside the mentor's availability.
        #expect(try await h.book(mentor, "2027-05-03T12:00:00Z", minutes: 45, as: mentee).reason == "outside_availability")
        let garbled = try await h.call("booking.create", #"{"mentorId":"\#(mentor.id)","start":"not a time","minutes":60}"#, as: mentee)
        #expect(garbled.reason == "invalid_params" && garbled.invalidFields.contains { $0.hasPrefix("start") })
        let tooLong = try await h.book(mentor, "2027-05-03T12:00:00Z", minutes: 600, as: mentee)
        #expect(tooLong.reason == "invalid_params" && tooLong.invalidFields == ["minutes"])
        #expect(try await h.book(mentor, "2027-05-03T12:00:00Z", as: nil).error?.code == -32001)
        #expect(try await h.book(mentor, "2027-05-03T12:00:00Z", as: mentor).reason == "forbidden")
        // A user who is not a mentor cannot be booked.
        #expect(try await h.book(h.user(.mentee), "2027-05-03T12:00:00Z", as: mentee).reason == "mentor_unavailable")
        #expect(try await h.book(Caller(id: UUID(), roles: [.mentor]), "2027-05-03T12:00:00Z", as: mentee).reason == "not_found")
        #expect(h.database.countBookings() == 0)
    }

    @Test func holdsHideTheSlotAndExpire() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let (alice, bob) = (h.user(.mentee), h.user(.mentee))
        let hold = try await h.ok("booking.hold", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60}"#, as: alice)
        let holdId = try #require(hold["holdId"] as? String)
        #expect(hold["expiresAt"] as? String == "2027-05-03T06:10:00Z")
        #expect(!(try await h.slots(mentor).contains(Self.ten)))
        #expect(try await h.book(mentor, Self.ten, as: bob).reason == "slot_taken")
        #expect(try await h.book(mentor, Self.ten, as: bob, extra: #","holdId":"\#(holdId)""#).reason == "not_found")
        #expect(try await h.book(mentor, "2027-05-03T12:00:00Z", as: alice, extra: #","holdId":"\#(holdId)""#).reason == "invalid_state")
        h.clock.advance(minutes: 11)
        #expect(try await h.slots(mentor).contains(Self.ten))
        #expect(try await h.book(mentor, Self.ten, as: alice, extra: #","holdId":"\#(holdId)""#).reason == "hold_expired")
        let second = try await h.ok("booking.hold", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60}"#, as: alice)
        let created = try await h.book(mentor, Self.ten, as: alice, extra: #","holdId":"\#(second["holdId"] as? String ?? "")""#)
        #expect(created.booking("id") as? String == second["holdId"] as? String)
        // A used hold cannot be used again.
        #expect(try await h.book(mentor, Self.ten, as: alice, extra: #","holdId":"\#(second["holdId"] as? String ?? "")""#).reason == "invalid_state")
        #expect(h.database.overlaps() == 0)
    }

    @Test func liveHoldsAreCappedAndPaidHoldsNeedCredits() async throws {
        let h = MarketplaceHarness.booking()
        let (m1, m2, m3) = (try await h.mentor(), try await h.mentor(), try await h.mentor())
        let mentee = h.user(.mentee)
        func hold(_ mentor: Caller, _ hour: Int) async throws -> String? {
            try await h.reason("booking.hold", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T\#(hour):00:00Z","minutes":60}"#, as: mentee)
        }
        #expect(try await hold(m1, 10) == nil)
        #expect(try await hold(m1, 11) == nil)
        #expect(try await hold(m1, 12) == "too_many_holds")
        #expect(try await hold(m2, 13) == nil)
        #expect(try await hold(m2, 14) == nil)
        #expect(try await hold(m3, 15) == nil)
        #expect(try await hold(m3, 16) == "too_many_holds")
        // The mentee's own time: a hold overlapping one of theirs is mentee_busy.
        #expect(try await hold(h.user(.mentor), 10) == "outside_availability")
        let other = try await h.mentor()
        h.clock.advance(minutes: 11)
        #expect(try await hold(other, 10) == nil)
        let paid = try await h.mentor(price: 5)
        let poor = h.user(.mentee)
        let refused = try await h.call("booking.hold", #"{"mentorId":"\#(paid.id)","start":"2027-05-03T10:00:00Z","minutes":60}"#, as: poor)
        #expect(refused.reason == "insufficient_credits")
        try h.fund(poor, 5)
        #expect(try await h.call("booking.hold", #"{"mentorId":"\#(paid.id)","start":"2027-05-03T10:00:00Z","minutes":60}"#, as: poor).error == nil)
        #expect(h.wallet(poor).available == 5)
    }

    @Test func menteesCannotDoubleBookThemselves() async throws {
        let h = MarketplaceHarness.booking()
        let (m1, m2) = (try await h.mentor(), try await h.mentor())
        let mentee = h.user(.mentee)
        _ = try await h.bookId(m1, Self.ten, as: mentee)
        #expect(try await h.book(m2, Self.ten, as: mentee).reason == "mentee_busy")
        #expect(try await h.book(m2, "2027-05-03T10:30:00Z", minutes: 30, as: mentee).reason == "mentee_busy")
        #expect(try await h.book(m2, "2027-05-03T11:00:00Z", as: mentee).error == nil)
    }

    @Test func disabledMentorsCannotBeBooked() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let mentee = h.user(.mentee)
        h.database.updateUser(mentor.id, disabled: true)
        #expect(try await h.book(mentor, Self.ten, as: mentee).reason == "mentor_unavailable")
        h.database.updateUser(mentor.id, disabled: false, roles: [.mentee])
        #expect(try await h.book(mentor, Self.ten, as: mentee).reason == "mentor_unavailable")
    }

    /// The preview answers what a cancellation now would do with the price, and changes nothing.
    @Test func cancelPreviewTellsWhereThePriceWouldGo() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor(price: 10)
        let (alice, eve) = (h.user(.mentee), h.user(.mentee))
        try h.fund(alice, 30)
        let today = try await h.bookId(mentor, Self.ten, as: alice)  // 4 h ahead: late for the mentee
        let later = try await h.bookId(mentor, "2027-05-05T10:00:00Z", as: alice)  // more than 24 h ahead
        func preview(_ id: String, as caller: Caller) async throws -> [String: Any] {
            try #require(try await h.ok("booking.cancelPreview", #"{"bookingId":"\#(id)"}"#, as: caller)["policy"] as? [String: Any])
        }
        let late = try await preview(today, as: alice)
        #expect(late["late"] as? Bool == true && late["escrow"] as? String == "released" && late["cancelledBy"] as? String == "mentee")
        let early = try await preview(later, as: alice)
        #expect(early["late"] as? Bool == false && early["escrow"] as? String == "refunded")
        let byMentor = try await preview(today, as: mentor)
        #expect(byMentor["late"] as? Bool == false && byMentor["escrow"] as? String == "refunded" && byMentor["cancelledBy"] as? String == "mentor")
        #expect(try await h.reason("booking.cancelPreview", #"{"bookingId":"\#(today)"}"#, as: eve) == "forbidden")
        #expect(try await h.reason("booking.cancelPreview", #"{"bookingId":"\#(UUID())"}"#, as: alice) == "not_found")
        #expect(try await h.reason("booking.cancelPreview", #"{"bookingId":"\#(today)"}"#) == "unauthenticated")
        #expect(h.wallet(alice) == Wallet(available: 10, escrow: 20, earnings: 0))
        // What the preview said is what the cancellation does.
        let cancelled = try await h.ok("booking.cancel", #"{"bookingId":"\#(today)"}"#, as: alice)
        #expect((cancelled["policy"] as? [String: Any])?["escrow"] as? String == "released")
    }

    @Test func cancelFollowsThePolicy() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let (alice, bob, eve) = (h.user(.mentee), h.user(.mentee), h.user(.mentee))
        let a = try await h.bookId(mentor, Self.ten, as: alice)
        let b = try await h.bookId(mentor, "2027-05-03T12:00:00Z", as: bob)
        #expect(try await h.reason("booking.get", #"{"bookingId":"\#(a)"}"#, as: eve) == "forbidden")
        #expect(try await h.reason("booking.cancel", #"{"bookingId":"\#(a)"}"#, as: eve) == "forbidden")
        #expect(try await h.reason("booking.cancel", #"{"bookingId":"\#(UUID())"}"#, as: alice) == "not_found")
        let long = String(repeating: "x", count: 1001)
        let tooLong = try await h.call("booking.cancel", #"{"bookingId":"\#(a)","reason":"\#(long)"}"#, as: alice)
        #expect(tooLong.reason == "invalid_params" && tooLong.invalidFields == ["reason"])
        let cancelled = try await h.ok("booking.cancel", #"{"bookingId":"\#(a)","reason":"sick"}"#, as: alice)
        let policy = try #require(cancelled["policy"] as? [String: Any])
        #expect(policy["late"] as? Bool == true && policy["cancelledBy"] as? String == "mentee")
        #expect((cancelled["booking"] as? [String: Any])?["status"] as? String == "cancelled")
        #expect(try await h.reason("booking.cancel", #"{"bookingId":"\#(a)"}"#, as: alice) == "invalid_state")
        #expect(try await h.slots(mentor).contains(Self.ten))
        // An admin cancels anyone's booking; after the start nothing is cancelled.
        let admin = h.user(.admin)
        h.clock.advance(minutes: 7 * 60)
        #expect(try await h.reason("booking.cancel", #"{"bookingId":"\#(b)"}"#, as: admin) == "invalid_state")
        #expect(try await h.reason("booking.get", #"{"bookingId":"\#(b)"}"#, as: admin) == nil)
        #expect(h.database.events("booking.cancelled").count == 1)
        let mentorList = try await h.ok("booking.list", #"{"as":"mentor"}"#, as: mentor)
        #expect((mentorList["items"] as? [[String: Any]])?.count == 2)
        #expect(try await h.reason("booking.list", #"{"limit":0}"#, as: mentor) == "invalid_params")
        #expect(try await h.reason("booking.list", #"{"cursor":"forged"}"#, as: mentor) == "invalid_params")
    }

    @Test func listsPageInStartOrder() async throws {
        let h = MarketplaceHarness.booking()
        let mentor = try await h.mentor()
        let mentee = h.user(.mentee)
        for hour in 10...14 { _ = try await h.bookId(mentor, "2027-05-03T\(hour):00:00Z", as: mentee) }
        var starts: [String] = []
        var cursor: String?
        repeat {
            let page = try await h.ok("booking.list", #"{"as":"mentee","limit":2\#(cursor.map { #","cursor":"\#($0)""# } ?? "")}"#, as: mentee)
            starts += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["start"] as? String }
            cursor = page["nextCursor"] as? String
        } while cursor != nil
        #expect(starts == (10...14).map { "2027-05-03T\($0):00:00Z" })
        let filtered = try await h.ok("booking.list", #"{"status":"cancelled"}"#, as: mentee)
        #expect((filtered["items"] as? [[String: Any]])?.isEmpty == true)
    }

    @Test func slotsPerCallAreCappedAndContinue() async throws {
        let h = MarketplaceHarness.booking { $0.maxSlotsPerCall = 5 }
        let mentor = try await h.mentor(minutes: [30])
        let first = try await h.ok(
            "availability.slots", #"{"mentorId":"\#(mentor.id)","from":"2027-05-03T00:00:00Z","to":"2027-05-04T00:00:00Z","minutes":30}"#)
        #expect((first["slots"] as? [Any])?.count == 5 && first["truncated"] as? Bool == true)
        #expect(first["nextFrom"] as? String == "2027-05-03T11:30:00Z")
        let wide = try await h.call(
            "availability.slots", #"{"mentorId":"\#(mentor.id)","from":"2027-05-03T00:00:00Z","to":"2027-08-03T00:00:00Z","minutes":30,"limit":9}"#)
        #expect(wide.reason == "invalid_params" && Set(wide.invalidFields) == ["to", "limit"])
        let none = try await h.ok(
            "availability.slots", #"{"mentorId":"\#(UUID())","from":"2027-05-03T00:00:00Z","to":"2027-05-04T00:00:00Z","minutes":30}"#)
        #expect((none["slots"] as? [Any])?.isEmpty == true)
    }
}

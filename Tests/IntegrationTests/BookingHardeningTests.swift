import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import Testing

/// Issue 11 §12, §13, §14, §17: what one account could do to a mentor's calendar, and mentors who left.
@Suite(.timeLimit(.minutes(2))) struct BookingHardeningTests {
    static let day = "2027-05-04"

    /// §13: holds were free and unlimited: one account could hold a whole calendar.
    @Test func liveHoldsAreCappedPerMentorAndInAll() async throws {
        try await BookingHarness.with { harness in
            let mentors = [try await harness.mentor(name: "A"), try await harness.mentor(name: "B"), try await harness.mentor(name: "C")]
            let mentee = try await harness.user(.mentee)
            func hold(_ mentor: BookingHarness.User, _ hour: Int) async throws -> String? {
                try await harness.call(
                    "booking.hold", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.day)T\#(hour):00:00Z","minutes":30}"#, as: mentee
                ).reason
            }
            #expect(try await hold(mentors[0], 10) == nil)
            #expect(try await hold(mentors[0], 11) == nil)
            #expect(try await hold(mentors[0], 12) == "too_many_holds")
            #expect(try await hold(mentors[1], 13) == nil)
            #expect(try await hold(mentors[1], 14) == nil)
            #expect(try await hold(mentors[2], 15) == nil)
            #expect(try await hold(mentors[2], 16) == "too_many_holds")  // 5 in all
            // Holds lapse: after 10 minutes they count no more.
            harness.clock.advance(minutes: 11)
            #expect(try await hold(mentors[0], 12) == nil)
        }
    }

    /// §13: a paid hold needs credits the mentee could pay with (nothing moves until the booking).
    @Test func paidHoldsNeedAffordableCredits() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor(minutes: [60], price: 25)
            let mentee = try await harness.user(.mentee)
            let params = #"{"mentorId":"\#(mentor.id)","start":"\#(Self.day)T10:00:00Z","minutes":60}"#
            #expect(try await harness.call("booking.hold", params, as: mentee).reason == "insufficient_credits")
            try await harness.fund(mentee, 25)
            #expect(try await harness.call("booking.hold", params, as: mentee).error == nil)
            #expect(try await harness.wallet(mentee).available == 25)
        }
    }

    /// §13: holds blocked the daily cap, so holding N slots made a mentor's day look full to everyone.
    @Test func holdsDoNotCountAgainstTheDailyCap() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor(extra: #","maxPerDay":1"#)
            let holder = try await harness.user(.mentee)
            let booker = try await harness.user(.mentee)
            try await harness.ok("booking.hold", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.day)T10:00:00Z","minutes":30}"#, as: holder)
            let slots = try await harness.ok(
                "availability.slots", #"{"mentorId":"\#(mentor.id)","from":"\#(Self.day)T00:00:00Z","to":"\#(Self.day)T23:59:00Z","minutes":30}"#)
            #expect((slots["slots"] as? [Any])?.isEmpty == false)
            try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.day)T12:00:00Z","minutes":30}"#, as: booker)
            #expect(
                try await harness.call("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.day)T14:00:00Z","minutes":30}"#, as: booker)
                    .reason != nil)
        }
    }

    /// §17: a mentee could hold overlapping sessions with several mentors.
    @Test func menteesCannotDoubleBookThemselves() async throws {
        try await BookingHarness.with { harness in
            let first = try await harness.mentor(name: "First")
            let second = try await harness.mentor(name: "Second")
            let mentee = try await harness.user(.mentee)
            try await harness.ok("booking.create", #"{"mentorId":"\#(first.id)","start":"\#(Self.day)T10:00:00Z","minutes":60}"#, as: mentee)
            #expect(
                try await harness.call("booking.create", #"{"mentorId":"\#(second.id)","start":"\#(Self.day)T10:30:00Z","minutes":30}"#, as: mentee)
                    .reason == "mentee_busy")
            #expect(
                try await harness.call("booking.hold", #"{"mentorId":"\#(second.id)","start":"\#(Self.day)T10:00:00Z","minutes":30}"#, as: mentee)
                    .reason == "mentee_busy")
            let group = try await harness.ok(
                "sessions.createGroup", #"{"start":"\#(Self.day)T10:00:00Z","minutes":60,"capacity":5,"title":"Group","topic":"Swift"}"#, as: second)
            let groupId = try #require((group["booking"] as? [String: Any])?["id"] as? String)
            #expect(try await harness.call("booking.join", #"{"groupSessionId":"\#(groupId)"}"#, as: mentee).reason == "mentee_busy")
            try await harness.ok("booking.create", #"{"mentorId":"\#(second.id)","start":"\#(Self.day)T12:00:00Z","minutes":30}"#, as: mentee)
        }
    }

    /// §14: disabled or demoted mentors stayed searchable and bookable.
    @Test func disabledAndDemotedMentorsLeaveSearchAndBooking() async throws {
        try await BookingHarness.with { harness in
            let disabled = try await harness.mentor(name: "Gone Mentor", skills: ["Elixir"])
            let demoted = try await harness.mentor(name: "Former Mentor", skills: ["Elixir"])
            let active = try await harness.mentor(name: "Active Mentor", skills: ["Elixir"])
            let mentee = try await harness.user(.mentee)
            try await harness.pool.client.query("UPDATE users SET disabled_at = now() WHERE id = \(disabled.id)", logger: TestEnvironment.logger)
            try await harness.pool.client.query("UPDATE users SET roles = ARRAY['mentee'] WHERE id = \(demoted.id)", logger: TestEnvironment.logger)
            let found = try await harness.ok("mentors.search", #"{"skills":["Elixir"]}"#)
            let ids = (found["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }.map { $0.lowercased() }
            #expect(ids == [active.id.uuidString.lowercased()])
            for mentor in [disabled, demoted] {
                for method in ["booking.create", "booking.hold"] {
                    let outcome = try await harness.call(
                        method, #"{"mentorId":"\#(mentor.id)","start":"\#(Self.day)T10:00:00Z","minutes":30}"#, as: mentee)
                    #expect(outcome.reason == "mentor_unavailable", "\(method): \(String(describing: outcome.error))")
                }
            }
        }
    }

    /// §12: one `availability.slots` call returned ~18k slots (a batch of 100 ≈ 100 MB).
    @Test func slotsPerCallAreCappedAndContinue() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor(minutes: [5])
            let range = #""from":"2027-05-04T00:00:00Z","to":"2027-07-04T00:00:00Z","minutes":5"#
            let first = try await harness.ok("availability.slots", #"{"mentorId":"\#(mentor.id)",\#(range)}"#)
            let slots = try #require(first["slots"] as? [[String: Any]])
            #expect(slots.count == 500 && first["truncated"] as? Bool == true)
            let next = try #require(first["nextFrom"] as? String)
            let second = try await harness.ok(
                "availability.slots", #"{"mentorId":"\#(mentor.id)","from":"\#(next)","to":"2027-07-04T00:00:00Z","minutes":5,"limit":10}"#)
            #expect((second["slots"] as? [[String: Any]])?.first?["start"] as? String == next)
            #expect(
                try await harness.call("availability.slots", #"{"mentorId":"\#(mentor.id)",\#(range),"limit":100000}"#).reason == "invalid_params")
        }
    }

    /// A paid booking with a mentor who was then disabled: the escrow is frozen, and a cancellation refunds it.
    @Test func cancellingAFrozenBookingRefundsTheMentee() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor(minutes: [60], price: 10)
            let mentee = try await harness.user(.mentee)
            try await harness.fund(mentee, 10)
            let created = try await harness.ok(
                "booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T10:00:00Z","minutes":60}"#, as: mentee)
            let id = try #require((created["booking"] as? [String: Any])?["id"] as? String)
            try await harness.pool.client.query("UPDATE users SET disabled_at = now() WHERE id = \(mentor.id)", logger: TestEnvironment.logger)
            let cancelled = try await harness.ok("booking.cancel", #"{"bookingId":"\#(id)"}"#, as: mentee)  // late, but the mentor cannot earn
            #expect((cancelled["booking"] as? [String: Any])?["escrowState"] as? String == "refunded")
            #expect(try await harness.wallet(mentee).available == 10)
        }
    }
}

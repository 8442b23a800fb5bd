import Foundation
import JSONRPC
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import Testing

/// Booking through the services over a real PostgreSQL: slots, holds, idempotency, cancel, reschedule, groups,
/// agenda forms and reviews.
@Suite(.timeLimit(.minutes(2))) struct BookingTests {
    static let ten = "2027-05-03T10:00:00Z"

    func slots(_ harness: BookingHarness, _ mentor: BookingHarness.User, minutes: Int = 60, day: String = "2027-05-03") async throws -> [String] {
        let result = try await harness.ok(
            "availability.slots", #"{"mentorId":"\#(mentor.id)","from":"\#(day)T00:00:00Z","to":"\#(day)T23:59:00Z","minutes":\#(minutes)}"#)
        return (result["slots"] as? [[String: Any]] ?? []).compactMap { $0["start"] as? String }
    }

    @Test func bookingTakesTheSlotAndIdempotencyReplays() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor()
            let (alice, bob) = (try await harness.user(.mentee), try await harness.user(.mentee))
            #expect(try await slots(harness, mentor).count == 8)
            let params = #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60,"idempotencyKey":"k-1"}"#
            let first = try await harness.ok("booking.create", params, as: alice)
            let booking = try #require(first["booking"] as? [String: Any])
            #expect(booking["status"] as? String == "confirmed")
            #expect(booking["start"] as? String == Self.ten && booking["end"] as? String == "2027-05-03T11:00:00Z")
            // The same key returns the same booking and books nothing twice.
            let again = try await harness.ok("booking.create", params, as: alice)
            #expect((again["booking"] as? [String: Any])?["id"] as? String == booking["id"] as? String)
            #expect(again["replayed"] as? Bool == true)
            #expect(try await harness.count("SELECT count(*)::int FROM bookings WHERE status = 'confirmed'") == 1)
            // The same key with other parameters is refused.
            let reused = try await harness.call(
                "booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T12:00:00Z","minutes":60,"idempotencyKey":"k-1"}"#, as: alice)
            #expect(reused.reason == "idempotency_mismatch")
            // The slot is gone for everyone; another mentee gets slot_taken.
            #expect(!(try await slots(harness, mentor).contains(Self.ten)))
            #expect(
                try await harness.call("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60}"#, as: bob).reason
                    == "slot_taken")
            // An overlapping 30-minute booking is refused too; back-to-back is fine.
            #expect(
                try await harness.call("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T10:30:00Z","minutes":30}"#, as: bob).reason
                    == "slot_taken")
            try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T11:00:00Z","minutes":30}"#, as: bob)
            #expect(try await harness.count("SELECT count(*)::int FROM outbox WHERE event_type = 'booking.created'") == 2)
            #expect(try await harness.count("SELECT count(*)::int FROM audit_entries WHERE action = 'booking.create'") == 2)
        }
    }

    @Test func badTimesGetTheirReasons() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor(extra: #","minNoticeMinutes":240"#)
            let mentee = try await harness.user(.mentee)
            func reason(_ start: String, _ minutes: Int = 60) async throws -> String? {
                try await harness.call("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(start)","minutes":\#(minutes)}"#, as: mentee)
                    .reason
            }
            #expect(try await reason("2027-05-03T09:00:00Z") == "min_notice")  // now is 06:00, notice 4 h
            #expect(try await reason("2027-05-03T18:00:00Z") == "outside_availability")
            #expect(try await reason("2027-05-03T12:15:00Z") == "outside_availability")  // off the grid
            #expect(try await reason("2027-05-03T12:00:00Z", 45) == "outside_availability")  // no 45-minute session type
            #expect(try await reason("not a time") == "invalid_params")
            #expect(
                try await harness.call("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T12:00:00Z","minutes":60}"#, as: nil).error?
                    .code == -32001)
            #expect(
                try await harness.call("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T12:00:00Z","minutes":60}"#, as: mentor)
                    .reason == "forbidden")
            #expect(try await harness.count("SELECT count(*)::int FROM bookings") == 0)
        }
    }

    @Test func holdsHideTheSlotAndExpire() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor()
            let (alice, bob) = (try await harness.user(.mentee), try await harness.user(.mentee))
            let hold = try await harness.ok("booking.hold", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60}"#, as: alice)
            let holdId = try #require(hold["holdId"] as? String)
            #expect(hold["expiresAt"] as? String == "2027-05-03T06:10:00Z")
            #expect(!(try await slots(harness, mentor).contains(Self.ten)))
            #expect(
                try await harness.call("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60}"#, as: bob).reason
                    == "slot_taken")
            // Bob cannot use Alice's hold.
            #expect(
                try await harness.call(
                    "booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60,"holdId":"\#(holdId)"}"#, as: bob
                ).reason == "not_found")
            harness.clock.advance(minutes: 11)
            #expect(try await slots(harness, mentor).contains(Self.ten))
            #expect(
                try await harness.call(
                    "booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60,"holdId":"\#(holdId)"}"#, as: alice
                ).reason == "hold_expired")
            // A fresh hold, converted by its owner, keeps its id.
            let second = try await harness.ok("booking.hold", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60}"#, as: alice)
            let created = try await harness.ok(
                "booking.create",
                #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60,"holdId":"\#(second["holdId"] as? String ?? "")"}"#, as: alice)
            #expect((created["booking"] as? [String: Any])?["id"] as? String == second["holdId"] as? String)
            #expect(try await harness.overlaps() == 0)
        }
    }

    @Test func buffersShowInTheGridAndInTheDatabase() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor(extra: #","bufferBeforeMinutes":10,"bufferAfterMinutes":20"#)
            let mentee = try await harness.user(.mentee)
            // 09:00–17:00 with 30-minute sessions and a 60-minute step.
            #expect(try await slots(harness, mentor, minutes: 30) == (9...16).map { "2027-05-03T\(String(format: "%02d", $0)):00:00Z" })
            try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":30}"#, as: mentee)
            let after = try await slots(harness, mentor, minutes: 30)
            #expect(!after.contains(Self.ten) && after.contains("2027-05-03T09:00:00Z") && after.contains("2027-05-03T11:00:00Z"))
            // 60-minute sessions: step 90 from 09:00 — 10:30 would start inside the 10:00 session's after-buffer.
            let hour = try await slots(harness, mentor, minutes: 60)
            #expect(!hour.contains("2027-05-03T10:30:00Z") && hour.contains("2027-05-03T12:00:00Z"))
            // Even straight into the database, a booking inside the buffer is refused by the constraint.
            await #expect(throws: (any Error).self) {
                try await harness.pool.client.query(
                    """
                    INSERT INTO bookings (kind, mentor_id, mentee_id, starts_at, ends_at, blocked_from, blocked_until, status)
                    VALUES ('one_on_one', \(mentor.id), \(mentee.id), '2027-05-03T10:35:00Z', '2027-05-03T11:05:00Z',
                            '2027-05-03T10:25:00Z', '2027-05-03T11:25:00Z', 'confirmed')
                    """, logger: TestEnvironment.logger)
            }
        }
    }

    @Test func cancelFollowsThePolicyAndRescheduleIsAtomic() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor()
            let (alice, bob, eve) = (try await harness.user(.mentee), try await harness.user(.mentee), try await harness.user(.mentee))
            let a = try #require(
                try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60}"#, as: alice)["booking"]
                    as? [String: Any])
            let aId = try #require(a["id"] as? String)
            try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T12:00:00Z","minutes":60}"#, as: bob)
            #expect(try await harness.call("booking.get", #"{"bookingId":"\#(aId)"}"#, as: eve).reason == "forbidden")
            #expect(try await harness.call("booking.cancel", #"{"bookingId":"\#(aId)"}"#, as: eve).reason == "forbidden")
            // Rescheduling onto Bob's booking changes nothing.
            #expect(
                try await harness.call("booking.reschedule", #"{"bookingId":"\#(aId)","start":"2027-05-03T12:00:00Z"}"#, as: alice).reason
                    == "slot_taken")
            let unchanged = try await harness.ok("booking.get", #"{"bookingId":"\#(aId)"}"#, as: alice)
            #expect((unchanged["booking"] as? [String: Any])?["start"] as? String == Self.ten)
            // Rescheduling to a free slot frees the old one in the same transaction (inside the late window the mentee
            // proposes and the mentor accepts).
            let proposed = try await harness.ok("booking.reschedule", #"{"bookingId":"\#(aId)","start":"2027-05-03T14:00:00Z"}"#, as: alice)
            #expect(proposed["pendingAcceptance"] as? Bool == true)
            let moved = try await harness.ok("booking.respondReschedule", #"{"bookingId":"\#(aId)","accept":true}"#, as: mentor)
            #expect((moved["booking"] as? [String: Any])?["start"] as? String == "2027-05-03T14:00:00Z")
            #expect(try await slots(harness, mentor).contains(Self.ten))
            // The mentee cancels less than 24 h ahead: late.
            let cancelled = try await harness.ok("booking.cancel", #"{"bookingId":"\#(aId)","reason":"sick"}"#, as: alice)
            let policy = try #require(cancelled["policy"] as? [String: Any])
            #expect(policy["late"] as? Bool == true && policy["cancelledBy"] as? String == "mentee")
            #expect((cancelled["booking"] as? [String: Any])?["status"] as? String == "cancelled")
            #expect(try await harness.call("booking.cancel", #"{"bookingId":"\#(aId)"}"#, as: alice).reason == "invalid_state")
            // After the start nothing can be cancelled.
            let bobs = try await harness.ok("booking.list", #"{"as":"mentee"}"#, as: bob)
            let bobId = try #require(((bobs["items"] as? [[String: Any]])?.first)?["id"] as? String)
            harness.clock.advance(minutes: 7 * 60)
            #expect(try await harness.call("booking.cancel", #"{"bookingId":"\#(bobId)"}"#, as: mentor).reason == "invalid_state")
            #expect(try await harness.count("SELECT count(*)::int FROM outbox WHERE event_type IN ('booking.rescheduled', 'booking.cancelled')") == 2)
            let mentorList = try await harness.ok("booking.list", #"{"as":"mentor"}"#, as: mentor)
            #expect((mentorList["items"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test func groupSeatsAreNeverExceeded() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor()
            let group = try await harness.ok(
                "sessions.createGroup", #"{"start":"2027-05-04T15:00:00Z","minutes":60,"capacity":2,"title":"Resume clinic","topic":"Career"}"#,
                as: mentor)
            let groupId = try #require((group["booking"] as? [String: Any])?["id"] as? String)
            var mentees: [BookingHarness.User] = []
            for _ in 0..<3 { mentees.append(try await harness.user(.mentee)) }
            let listed = try await harness.ok("sessions.listGroups", #"{"mentorId":"\#(mentor.id)"}"#)
            #expect(((listed["items"] as? [[String: Any]])?.first)?["capacity"] as? Int == 2)
            let seat = try await harness.ok("booking.join", #"{"groupSessionId":"\#(groupId)"}"#, as: mentees[0])
            #expect((seat["booking"] as? [String: Any])?["groupSessionId"] as? String == groupId)
            #expect(try await harness.call("booking.join", #"{"groupSessionId":"\#(groupId)"}"#, as: mentees[0]).reason == "already_joined")
            try await harness.ok("booking.join", #"{"groupSessionId":"\#(groupId)"}"#, as: mentees[1])
            #expect(try await harness.call("booking.join", #"{"groupSessionId":"\#(groupId)"}"#, as: mentees[2]).reason == "capacity_full")
            // A seat given back can be taken.
            let seatId = try #require((seat["booking"] as? [String: Any])?["id"] as? String)
            try await harness.ok("booking.cancel", #"{"bookingId":"\#(seatId)"}"#, as: mentees[0])
            try await harness.ok("booking.join", #"{"groupSessionId":"\#(groupId)"}"#, as: mentees[2])
            // The group session blocks the mentor's 1:1 slots.
            #expect(!(try await slots(harness, mentor, day: "2027-05-04").contains("2027-05-04T15:00:00Z")))
            #expect(try await harness.overfilledGroups() == 0)
        }
    }

    @Test func agendaFollowsTheMentorsForm() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor()
            let mentee = try await harness.user(.mentee)
            let badTemplate = try await harness.call(
                "forms.setTemplate", #"{"questions":[{"id":"a","label":"A","kind":"choice","required":true}]}"#, as: mentor)
            #expect(badTemplate.reason == "invalid_params")
            try await harness.ok(
                "forms.setTemplate",
                #"{"questions":[{"id":"goal","label":"Your goal","kind":"text","required":true},{"id":"level","label":"Level","kind":"choice","required":false,"choices":["junior","senior"]},{"id":"repo","label":"Repository","kind":"url","required":false}]}"#,
                as: mentor)
            let created = try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60}"#, as: mentee)
            let id = try #require((created["booking"] as? [String: Any])?["id"] as? String)
            let bad = try await harness.call(
                "booking.submitAgenda", #"{"bookingId":"\#(id)","answers":{"level":"guru","repo":"ftp://x","extra":"?"}}"#, as: mentee)
            #expect(bad.reason == "invalid_agenda")
            let fields = (bad.error?.data["fields"]).map { "\($0)" } ?? ""
            #expect(
                fields.contains("answers.goal") && fields.contains("answers.level") && fields.contains("answers.repo")
                    && fields.contains("answers.extra"))
            #expect(
                try await harness.call("booking.submitAgenda", #"{"bookingId":"\#(id)","answers":{"goal":"x"}}"#, as: mentor).reason == "forbidden")
            let good = try await harness.ok(
                "booking.submitAgenda", #"{"bookingId":"\#(id)","answers":{"goal":"Get promoted","level":"senior","repo":"https://github.com/a/b"}}"#,
                as: mentee)
            #expect(((good["booking"] as? [String: Any])?["agenda"] as? [String: String])?["goal"] == "Get promoted")
            harness.clock.advance(minutes: 5 * 60)
            #expect(
                try await harness.call("booking.submitAgenda", #"{"bookingId":"\#(id)","answers":{"goal":"late"}}"#, as: mentee).reason
                    == "invalid_state")
        }
    }

    @Test func reviewsOnlyAfterTheSessionOnceAndFeedTheRating() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor()
            let (mentee, other) = (try await harness.user(.mentee), try await harness.user(.mentee))
            let created = try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60}"#, as: mentee)
            let id = try #require((created["booking"] as? [String: Any])?["id"] as? String)
            let review = #"{"bookingId":"\#(id)","rating":5,"comment":"Great"}"#
            #expect(try await harness.call("reviews.create", review, as: mentee).reason == "invalid_state")
            harness.clock.advance(minutes: 5 * 60)
            #expect(try await harness.call("reviews.create", review, as: other).reason == "forbidden")
            #expect(try await harness.call("reviews.create", review, as: mentor).reason == "forbidden")
            #expect(try await harness.call("reviews.create", #"{"bookingId":"\#(id)","rating":6}"#, as: mentee).reason == "invalid_params")
            let posted = try await harness.ok("reviews.create", review, as: mentee)
            let reviewId = try #require((posted["review"] as? [String: Any])?["id"] as? String)
            #expect(try await harness.call("reviews.create", review, as: mentee).reason == "already_reviewed")
            try await harness.ok("reviews.reply", #"{"reviewId":"\#(reviewId)","text":"Thanks!"}"#, as: mentor)
            #expect(try await harness.call("reviews.reply", #"{"reviewId":"\#(reviewId)","text":"Again"}"#, as: mentor).reason == "already_replied")
            let profile = try await harness.ok("mentors.get", #"{"mentorId":"\#(mentor.id)"}"#)
            let mentorJSON = try #require(profile["mentor"] as? [String: Any])
            #expect(mentorJSON["rating"] as? Double == 5 && mentorJSON["reviewCount"] as? Int == 1)
            let list = try await harness.ok("reviews.list", #"{"mentorId":"\#(mentor.id)"}"#)
            #expect(((list["items"] as? [[String: Any]])?.first)?["reply"] as? String == "Thanks!")
        }
    }

    @Test func remindersAreScheduledOnceEvenWhenRacing() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor()
            let mentee = try await harness.user(.mentee)
            try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(Self.ten)","minutes":60}"#, as: mentee)
            try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-05T10:00:00Z","minutes":60}"#, as: mentee)
            // 06:00: today's 10:00 session is within 24 h (the one in two days is not).
            async let first = harness.bookings.scheduleReminders(now: harness.clock.now)
            async let second = harness.bookings.scheduleReminders(now: harness.clock.now)
            #expect(try await first + second == 1)
            #expect(try await harness.bookings.scheduleReminders(now: harness.clock.now) == 0)
            harness.clock.advance(minutes: 3 * 60 + 50)  // 09:50
            #expect(try await harness.bookings.scheduleReminders(now: harness.clock.now) == 1)
            #expect(try await harness.count("SELECT count(*)::int FROM outbox WHERE event_type = 'booking.reminder'") == 2)
            #expect(try await harness.count("SELECT count(*)::int FROM reminders WHERE kind = '15m'") == 1)
        }
    }
}

import BookingService
import FeedbackService
import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import ServiceSupport
import Testing

/// Reviews through the handlers on the in-memory stores: only the session's mentee, only after it ended, once; one
/// reply; the rating aggregate; pages newest first.
@Suite struct ReviewTests {
    static func harness() -> MarketplaceHarness {
        MarketplaceHarness { stores in
            var booking = BookingConfiguration()
            booking.now = { stores.clock.now }
            return [
                FeedbackService(store: stores.reviews, cursors: stores.cursors, now: { stores.clock.now }),
                BookingService(store: stores.bookings, configuration: booking),
            ]
        }
    }

    @Test func reviewsOnlyAfterTheSessionOnceAndFeedTheRating() async throws {
        let h = Self.harness()
        let mentor = try await h.mentor()
        let (mentee, other) = (h.user(.mentee, name: "Mia"), h.user(.mentee))
        let booked = try await h.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T10:00:00Z","minutes":60}"#, as: mentee)
        let id = try #require((booked["booking"] as? [String: Any])?["id"] as? String)
        let review = #"{"bookingId":"\#(id)","rating":5,"comment":" Great "}"#
        #expect(try await h.reason("reviews.create", review, as: mentee) == "invalid_state")
        h.clock.advance(minutes: 5 * 60)
        #expect(try await h.reason("reviews.create", review, as: other) == "forbidden")
        #expect(try await h.reason("reviews.create", review) == "unauthenticated")
        #expect(try await h.reason("reviews.create", #"{"bookingId":"\#(UUID())","rating":5}"#, as: mentee) == "not_found")
        let bad = try await h.call(
            "reviews.create", #"{"bookingId":"\#(id)","rating":6,"comment":"\#(String(repeating: "x", count: 2001))"}"#, as: mentee)
        #expect(bad.reason == "invalid_params" && Set(bad.invalidFields) == ["rating", "comment"])
        let posted = try await h.ok("reviews.create", review, as: mentee)
        let body = try #require(posted["review"] as? [String: Any])
        #expect(body["comment"] as? String == "Great" && body["authorName"] as? String == "Mia")
        #expect(try await h.reason("reviews.create", review, as: mentee) == "already_reviewed")
        let profile = try #require(try await h.stores.directory.profile(mentorId: mentor.id))
        #expect(profile.rating == 5 && profile.reviewCount == 1 && profile.bayesianRating == 4.167)
        // One reply, by the reviewed mentor.
        let reviewId = try #require(body["id"] as? String)
        #expect(try await h.reason("reviews.reply", #"{"reviewId":"\#(reviewId)","text":"Thanks"}"#, as: h.user(.mentor)) == "not_found")
        #expect(try await h.reason("reviews.reply", #"{"reviewId":"\#(reviewId)","text":"Thanks"}"#, as: mentee) == "forbidden")
        #expect(try await h.call("reviews.reply", #"{"reviewId":"\#(reviewId)","text":"  "}"#, as: mentor).invalidFields == ["text"])
        #expect(try await h.reason("reviews.reply", #"{"reviewId":"\#(reviewId)","text":"Thanks"}"#, as: mentor) == nil)
        #expect(try await h.reason("reviews.reply", #"{"reviewId":"\#(reviewId)","text":"Again"}"#, as: mentor) == "already_replied")
        #expect(h.database.events("review.posted").count == 1 && h.database.events("review.replied").count == 1)
    }

    @Test func aCancelledBookingIsNotReviewed() async throws {
        let h = Self.harness()
        let mentor = try await h.mentor()
        let mentee = h.user(.mentee)
        let booked = try await h.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T10:00:00Z","minutes":60}"#, as: mentee)
        let id = try #require((booked["booking"] as? [String: Any])?["id"] as? String)
        try await h.ok("booking.cancel", #"{"bookingId":"\#(id)"}"#, as: mentee)
        h.clock.advance(minutes: 5 * 60)
        #expect(try await h.reason("reviews.create", #"{"bookingId":"\#(id)","rating":4}"#, as: mentee) == "invalid_state")
    }

    @Test func reviewsPageNewestFirst() async throws {
        let h = Self.harness()
        let mentor = try await h.mentor()
        var booked: [(Caller, String)] = []
        for hour in 10...14 {
            let mentee = h.user(.mentee)
            let result = try await h.ok(
                "booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T\#(hour):00:00Z","minutes":60}"#, as: mentee)
            booked.append((mentee, try #require((result["booking"] as? [String: Any])?["id"] as? String)))
        }
        for (index, (mentee, id)) in booked.enumerated() {
            h.clock.set(try #require(Instant(iso8601: "2027-05-03T\(index + 11):00:00Z")))
            try await h.ok("reviews.create", #"{"bookingId":"\#(id)","rating":\#(index + 1)}"#, as: mentee)
        }
        var ratings: [Int] = []
        var cursor: String?
        repeat {
            let page = try await h.ok("reviews.list", #"{"mentorId":"\#(mentor.id)","limit":2\#(cursor.map { #","cursor":"\#($0)""# } ?? "")}"#)
            ratings += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["rating"] as? Int }
            cursor = page["nextCursor"] as? String
        } while cursor != nil
        #expect(ratings == [5, 4, 3, 2, 1])
        #expect(try await h.reason("reviews.list", #"{"mentorId":"\#(mentor.id)","limit":101}"#) == "invalid_params")
        #expect(try await h.reason("reviews.list", #"{"mentorId":"\#(mentor.id)","cursor":"forged"}"#) == "invalid_params")
    }
}

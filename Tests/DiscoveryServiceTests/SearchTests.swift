import BookingService
import DiscoveryService
import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import ServiceSupport
import Testing

/// Profiles and search through the handlers on the in-memory directory (the service-logic half of the live
/// `SearchTests`: filters, typo widening, facets, rating order, keyset cursors, free time).
@Suite struct SearchTests {
    static func harness() -> MarketplaceHarness {
        MarketplaceHarness { stores in
            var discovery = DiscoveryConfiguration()
            discovery.now = { stores.clock.now }
            discovery.cursors = stores.cursors
            var booking = BookingConfiguration()
            booking.now = { stores.clock.now }
            return [
                DiscoveryService(directory: stores.directory, configuration: discovery),
                BookingService(store: stores.bookings, configuration: booking),
            ]
        }
    }

    func ids(_ result: [String: Any]) -> [String] { (result["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }

    @Test func profilesAreValidatedAndSaved() async throws {
        let h = Self.harness()
        let mentor = h.user(.mentor, name: "Ada")
        let profile =
            #"{"headline":" Swift mentor ","bio":"b","skills":["Swift","swift"," Rust "],"topics":[],"tags":[],"yearsExperience":7,"languages":["en"],"timeZone":"Europe/Berlin","sessionTypes":[{"kind":"one_on_one","minutes":30,"priceCredits":5},{"kind":"one_on_one","minutes":60,"priceCredits":9}]}"#
        let saved = try await h.ok("mentors.updateProfile", profile, as: mentor)
        let body = try #require(saved["mentor"] as? [String: Any])
        #expect(body["name"] as? String == "Ada" && body["headline"] as? String == "Swift mentor")
        #expect(body["skills"] as? [String] == ["Swift", "Rust"] && body["priceCredits"] as? Int == 5)
        #expect(try await h.ok("mentors.get", #"{"mentorId":"\#(mentor.id)"}"#)["mentor"] != nil)
        #expect(try await h.reason("mentors.get", #"{"mentorId":"\#(UUID())"}"#) == "not_found")
        #expect(try await h.reason("mentors.updateProfile", profile, as: h.user(.mentee)) == "forbidden")
        #expect(try await h.reason("mentors.updateProfile", profile) == "unauthenticated")
        let bad = try await h.call(
            "mentors.updateProfile",
            #"{"headline":"h","bio":"b","skills":[],"topics":[],"tags":[],"yearsExperience":99,"languages":[],"timeZone":"Nowhere","sessionTypes":[{"kind":"group_seat","minutes":7,"priceCredits":-1}]}"#,
            as: mentor)
        #expect(bad.reason == "invalid_params")
        #expect(
            Set(bad.invalidFields) == [
                "yearsExperience", "timeZone", "sessionTypes[0].minutes", "sessionTypes[0].priceCredits", "sessionTypes[0].kind",
            ])
    }

    @Test func textTyposFiltersAndFacets() async throws {
        let h = Self.harness()
        let swift = try await h.mentor(name: "Grace Swift", skills: ["Swift", "iOS"], topics: ["Career"], price: 10)
        let rust = try await h.mentor(name: "Linus", skills: ["Rust"], topics: ["Systems"], price: 30)
        let both = try await h.mentor(name: "Pat", skills: ["Swift", "Rust"], topics: ["Career"], price: 20)
        let found = try await h.ok("mentors.search", #"{"query":"swift"}"#)
        #expect(Set(ids(found)) == [swift.id.uuidString, both.id.uuidString])
        #expect(ids(found).first == swift.id.uuidString)  // the name matches too
        let facets = try #require(found["facets"] as? [String: Any])
        #expect((facets["skills"] as? [String: Int])?["Swift"] == 2)
        // A misspelled skill widens to typo matches.
        #expect(Set(ids(try await h.ok("mentors.search", #"{"query":"rsut"}"#))) == [rust.id.uuidString, both.id.uuidString])
        #expect(ids(try await h.ok("mentors.search", #"{"skills":["rust"],"maxPriceCredits":25}"#)) == [both.id.uuidString])
        #expect(ids(try await h.ok("mentors.search", #"{"topics":["systems"]}"#)) == [rust.id.uuidString])
        #expect(ids(try await h.ok("mentors.search", #"{"sort":"price"}"#)) == [swift, both, rust].map(\.id.uuidString))
        #expect(ids(try await h.ok("mentors.search", #"{"minExperience":6}"#)).isEmpty)
        #expect(ids(try await h.ok("mentors.search", #"{"languages":["de"]}"#)).isEmpty)
        // A disabled mentor leaves search.
        h.database.updateUser(rust.id, disabled: true)
        #expect(ids(try await h.ok("mentors.search", #"{"topics":["systems"]}"#)).isEmpty)
    }

    @Test func invalidSearchesNameTheirFields() async throws {
        let h = Self.harness()
        let bad = try await h.call(
            "mentors.search",
            #"{"limit":0,"minRating":6,"availableFrom":"2027-05-04T00:00:00Z","availableTo":"2027-05-03T00:00:00Z","cursor":"forged"}"#)
        #expect(bad.reason == "invalid_params")
        #expect(Set(bad.invalidFields) == ["limit", "minRating", "availableTo", "cursor"])
        let long = try await h.call(
            "mentors.search",
            #"{"query":"\#(String(repeating: "a", count: 201))","skills":[\#((1...21).map { "\"s\($0)\"" }.joined(separator: ","))]}"#)
        #expect(Set(long.invalidFields) == ["query", "skills"])
    }

    @Test func bayesianRatingOrderAndAStableCursor() async throws {
        let h = Self.harness()
        var mentors: [Caller] = []
        for index in 0..<5 { mentors.append(try await h.mentor(name: "M\(index)")) }
        // Ratings straight into the store: a review needs a finished booking (the feedback tests cover that path).
        for (index, mentor) in mentors.enumerated() {
            let mentee = h.user(.mentee)
            let booking = try await h.stores.bookings.place(
                PlaceBooking(
                    mentorId: mentor.id, menteeId: mentee.id, start: MarketplaceHarness.start.adding(minutes: 240),
                    end: MarketplaceHarness.start.adding(minutes: 300), status: .confirmed), now: h.clock.now, freeRuns: FreeRunPolicy(),
                slot: SlotRequest(start: MarketplaceHarness.start.adding(minutes: 240), minutes: 60)
            ).0
            _ = try await h.stores.reviews.createReview(
                bookingId: booking.id, authorId: mentee.id, mentorId: mentor.id, rating: index + 1, comment: nil, audit: nil)
        }
        let rated = try await h.ok("mentors.search", #"{"sort":"rating","minRating":3}"#)
        #expect(ids(rated) == [mentors[4], mentors[3], mentors[2]].map(\.id.uuidString))
        #expect(((rated["items"] as? [[String: Any]])?.first)?["bayesianRating"] as? Double == 4.167)
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try await h.ok("mentors.search", #"{"sort":"rating","limit":2\#(cursor.map { #","cursor":"\#($0)""# } ?? "")}"#)
            seen += ids(page)
            cursor = page["nextCursor"] as? String
        } while cursor != nil
        #expect(seen == mentors.reversed().map(\.id.uuidString))
    }

    @Test func availableBetweenMeansAFreeSlotInTheWindow() async throws {
        let h = Self.harness()
        let free = try await h.mentor(name: "Free Mentor", skills: ["Rust"], minutes: [60])
        let noRules = h.user(.mentor, name: "No Rules")
        try await h.ok(
            "mentors.updateProfile",
            #"{"headline":"Mentor","bio":"b","skills":["Rust"],"topics":[],"tags":[],"yearsExperience":1,"languages":["en"],"timeZone":"UTC","sessionTypes":[]}"#,
            as: noRules)
        let mentee = h.user(.mentee)
        let window = #""availableFrom":"2027-05-03T16:00:00Z","availableTo":"2027-05-03T17:00:00Z""#
        let before = try await h.ok("mentors.search", #"{"skills":["rust"],\#(window)}"#)
        #expect(ids(before) == [free.id.uuidString])
        #expect(((before["items"] as? [[String: Any]])?.first)?["nextAvailable"] as? String == "2027-05-03T09:00:00Z")
        try await h.ok("booking.create", #"{"mentorId":"\#(free.id)","start":"2027-05-03T16:00:00Z","minutes":60}"#, as: mentee)
        #expect(ids(try await h.ok("mentors.search", #"{"skills":["rust"],\#(window)}"#)).isEmpty)
        #expect(
            ids(try await h.ok("mentors.search", #"{"skills":["rust"],"availableFrom":"2027-05-03T12:00:00Z","availableTo":"2027-05-03T12:30:00Z"}"#))
                .isEmpty)
        #expect(ids(try await h.ok("mentors.search", #"{"skills":["rust"],"sort":"soonest"}"#)) == [free.id.uuidString, noRules.id.uuidString])
    }
}

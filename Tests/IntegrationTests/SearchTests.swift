import Foundation
import JSONRPC
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import Testing

/// `mentors.search` over a real PostgreSQL: weighted full-text relevance, typo tolerance, filters, facets,
/// Bayesian rating order, "available between", and cursors that stay stable while data changes.
@Suite(.timeLimit(.minutes(2))) struct SearchTests {
    func profile(
        _ harness: BookingHarness, name: String, headline: String, bio: String = "", skills: [String], years: Int = 5, price: Int = 0,
        languages: [String] = ["en"]
    ) async throws -> BookingHarness.User {
        let mentor = try await harness.user(.mentor, name: name)
        let json = { (values: [String]) in values.map { "\"\($0)\"" }.joined(separator: ",") }
        try await harness.ok(
            "mentors.updateProfile",
            #"{"headline":"\#(headline)","bio":"\#(bio)","skills":[\#(json(skills))],"topics":["Career"],"tags":[],"yearsExperience":\#(years),"languages":[\#(json(languages))],"timeZone":"UTC","sessionTypes":[{"kind":"one_on_one","minutes":60,"priceCredits":\#(price)}]}"#,
            as: mentor)
        return mentor
    }

    func ids(_ result: [String: Any]) -> [String] { (result["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }

    @Test func relevanceTyposFiltersAndFacets() async throws {
        try await BookingHarness.with { harness in
            let kube = try await profile(
                harness, name: "Kim Ops", headline: "Kubernetes and cloud infrastructure", skills: ["Kubernetes", "Docker"], years: 12, price: 50,
                languages: ["en", "de"])
            let swift = try await profile(
                harness, name: "Sam Apple", headline: "Swift and iOS engineer", skills: ["Swift", "iOS"], years: 3, price: 10)
            let bioOnly = try await profile(
                harness, name: "Pat Generalist", headline: "Engineering manager", bio: "I once wrote some Swift.", skills: ["Leadership"], years: 20)
            // A typo still finds Kubernetes.
            #expect(ids(try await harness.ok("mentors.search", #"{"query":"kubernets"}"#)) == [kube.id.uuidString])
            #expect(ids(try await harness.ok("mentors.search", #"{"query":"kubrenetes"}"#)) == [kube.id.uuidString])
            // A headline match outranks a bio match.
            #expect(ids(try await harness.ok("mentors.search", #"{"query":"swift"}"#)) == [swift.id.uuidString, bioOnly.id.uuidString])
            // Filters (case-insensitive skills), experience, price, language.
            #expect(ids(try await harness.ok("mentors.search", #"{"skills":["docker"]}"#)) == [kube.id.uuidString])
            #expect(Set(ids(try await harness.ok("mentors.search", #"{"minExperience":10}"#))) == [kube.id.uuidString, bioOnly.id.uuidString])
            #expect(Set(ids(try await harness.ok("mentors.search", #"{"maxPriceCredits":10}"#))) == [swift.id.uuidString, bioOnly.id.uuidString])
            #expect(ids(try await harness.ok("mentors.search", #"{"languages":["DE"]}"#)) == [kube.id.uuidString])
            // Facets count over all matches.
            let all = try await harness.ok("mentors.search", #"{"limit":1}"#)
            let facets = try #require(all["facets"] as? [String: Any])
            #expect((facets["topics"] as? [String: Int])?["Career"] == 3)
            #expect((facets["skills"] as? [String: Int])?["Swift"] == 1)
            #expect(ids(all).count == 1 && all["nextCursor"] is String)
            // Bad input is refused with the field named.
            #expect(try await harness.call("mentors.search", #"{"limit":1000}"#).reason == "invalid_params")
            #expect(try await harness.call("mentors.search", #"{"cursor":"garbage"}"#).reason == "invalid_params")
        }
    }

    @Test func bayesianRatingAndStableCursor() async throws {
        try await BookingHarness.with { harness in
            var mentors: [BookingHarness.User] = []
            for index in 0..<25 { mentors.append(try await profile(harness, name: "Mentor \(index)", headline: "Mentor", skills: ["Go"])) }
            // One 5-star review against a hundred 4.8s.
            try await harness.pool.client.query(
                "UPDATE mentor_profiles SET rating_sum = 5, review_count = 1 WHERE user_id = \(mentors[0].id)", logger: TestEnvironment.logger)
            try await harness.pool.client.query(
                "UPDATE mentor_profiles SET rating_sum = 480, review_count = 100 WHERE user_id = \(mentors[1].id)", logger: TestEnvironment.logger)
            let top = ids(try await harness.ok("mentors.search", #"{"sort":"rating","limit":2}"#))
            #expect(top == [mentors[1].id.uuidString, mentors[0].id.uuidString])
            // Page through while a new top-rated mentor appears and another's rating changes: no item twice, none lost.
            var seen: [String] = []
            var cursor: String?
            var page = 0
            repeat {
                let params = cursor.map { #"{"sort":"rating","limit":10,"cursor":"\#($0)"}"# } ?? #"{"sort":"rating","limit":10}"#
                let result = try await harness.ok("mentors.search", params)
                seen += ids(result)
                cursor = result["nextCursor"] as? String
                if page == 0 {
                    let newcomer = try await profile(harness, name: "Newcomer", headline: "Mentor", skills: ["Go"])
                    try await harness.pool.client.query(
                        "UPDATE mentor_profiles SET rating_sum = 500, review_count = 100 WHERE user_id = \(newcomer.id)",
                        logger: TestEnvironment.logger)
                }
                page += 1
            } while cursor != nil && page < 10
            #expect(Set(seen).count == seen.count)
            #expect(Set(mentors.map(\.id.uuidString)).isSubset(of: Set(seen)))
        }
    }

    @Test func availableBetweenMeansAFreeSlotInTheWindow() async throws {
        try await BookingHarness.with { harness in
            let free = try await harness.mentor(name: "Free Mentor", skills: ["Rust"], minutes: [60])
            _ = try await profile(harness, name: "No Rules", headline: "Mentor", skills: ["Rust"])
            let mentee = try await harness.user(.mentee)
            let window = #""availableFrom":"2027-05-03T16:00:00Z","availableTo":"2027-05-03T17:00:00Z""#
            let before = try await harness.ok("mentors.search", #"{"skills":["rust"],\#(window)}"#)
            #expect(ids(before) == [free.id.uuidString])
            #expect(((before["items"] as? [[String: Any]])?.first)?["nextAvailable"] as? String == "2027-05-03T09:00:00Z")
            // Booking the only slot of the window removes the mentor from it.
            try await harness.ok("booking.create", #"{"mentorId":"\#(free.id)","start":"2027-05-03T16:00:00Z","minutes":60}"#, as: mentee)
            #expect(ids(try await harness.ok("mentors.search", #"{"skills":["rust"],\#(window)}"#)).isEmpty)
            // A window shorter than any slot matches nobody; "soonest" puts mentors without availability last.
            #expect(
                ids(
                    try await harness.ok(
                        "mentors.search", #"{"skills":["rust"],"availableFrom":"2027-05-03T12:00:00Z","availableTo":"2027-05-03T12:30:00Z"}"#)
                ).isEmpty)
            #expect(ids(try await harness.ok("mentors.search", #"{"skills":["rust"],"sort":"soonest"}"#)).first == free.id.uuidString)
        }
    }
}

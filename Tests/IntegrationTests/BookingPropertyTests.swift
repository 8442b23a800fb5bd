import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import Testing

/// SplitMix64: a small seeded generator, so a failing run can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Thousands of random holds, bookings, cancellations, reschedules, group sessions and joins, with the clock
/// moving: two active bookings of a mentor never overlap and no group is ever over-filled.
@Suite(.timeLimit(.minutes(5))) struct BookingPropertyTests {
    static let allowed: Set<String> = [
        "slot_taken", "outside_availability", "min_notice", "capacity_full", "hold_expired", "invalid_state", "not_found", "forbidden",
        "already_joined", "idempotency_mismatch", "mentee_busy", "too_many_holds",
    ]

    @Test func randomOperationsKeepTheInvariants() async throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["MENTORLINK_PROPERTY_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)
        var random = SeededGenerator(seed: seed)
        let operations = Int(ProcessInfo.processInfo.environment["MENTORLINK_PROPERTY_OPERATIONS"] ?? "") ?? 1500
        try await BookingHarness.with { harness in
            let mentors = [
                try await harness.mentor(name: "A", minutes: [30, 60], extra: #","bufferAfterMinutes":15"#),
                try await harness.mentor(
                    name: "B", minutes: [30, 45, 60], timeZone: "Europe/Berlin", extra: #","bufferBeforeMinutes":5,"maxPerDay":6"#),
            ]
            var mentees: [BookingHarness.User] = []
            for _ in 0..<6 { mentees.append(try await harness.user(.mentee)) }
            var bookings: [(id: String, owner: BookingHarness.User)] = []
            var holds: [(id: String, owner: BookingHarness.User, mentor: BookingHarness.User, start: String, minutes: Int)] = []
            var groups: [String] = []
            var outcomes: [String: Int] = [:]
            func randomStart() -> String {
                // Quarter-hour starts over the next three days: some on the grid, many not.
                let minutes = Int.random(in: 0..<(3 * 24 * 4), using: &random) * 15
                return harness.clock.now.adding(minutes: 60 + minutes - (Int(harness.clock.now.epochSeconds / 60) % 15)).description
            }
            /// Half the time a start the mentor offers right now (contention on real slots), else any quarter hour.
            func pickStart(_ mentor: BookingHarness.User, _ minutes: Int) async throws -> String {
                guard Bool.random(using: &random) else { return randomStart() }
                let from = harness.clock.now.adding(minutes: Int.random(in: 0..<3, using: &random) * 1440)
                let offered = try await harness.call(
                    "availability.slots",
                    #"{"mentorId":"\#(mentor.id)","from":"\#(from)","to":"\#(from.adding(minutes: 1440))","minutes":\#(minutes)}"#)
                let starts = (offered.result?["slots"] as? [[String: Any]] ?? []).compactMap { $0["start"] as? String }
                return starts.randomElement(using: &random) ?? randomStart()
            }
            for step in 0..<operations {
                let mentee = mentees.randomElement(using: &random)!
                let mentor = mentors.randomElement(using: &random)!
                let minutes = [30, 45, 60].randomElement(using: &random)!
                let outcome: Outcome
                switch Int.random(in: 0..<100, using: &random) {
                case 0..<30:
                    let start = try await pickStart(mentor, minutes)
                    outcome = try await harness.call(
                        "booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(start)","minutes":\#(minutes)}"#, as: mentee)
                    if let id = outcome.object("booking")?["id"] as? String { bookings.append((id, mentee)) }
                case 30..<45:
                    let start = try await pickStart(mentor, minutes)
                    outcome = try await harness.call(
                        "booking.hold", #"{"mentorId":"\#(mentor.id)","start":"\#(start)","minutes":\#(minutes)}"#, as: mentee)
                    if let id = outcome.result?["holdId"] as? String { holds.append((id, mentee, mentor, start, minutes)) }
                case 45..<55 where !holds.isEmpty:
                    let hold = holds.remove(at: Int.random(in: 0..<holds.count, using: &random))
                    outcome = try await harness.call(
                        "booking.create",
                        #"{"mentorId":"\#(hold.mentor.id)","start":"\#(hold.start)","minutes":\#(hold.minutes),"holdId":"\#(hold.id)"}"#,
                        as: hold.owner)
                    if let id = outcome.object("booking")?["id"] as? String { bookings.append((id, hold.owner)) }
                case 55..<67 where !bookings.isEmpty:
                    let booking = bookings.randomElement(using: &random)!
                    outcome = try await harness.call("booking.cancel", #"{"bookingId":"\#(booking.id)"}"#, as: booking.owner)
                case 67..<82 where !bookings.isEmpty:
                    let booking = bookings.randomElement(using: &random)!
                    outcome = try await harness.call(
                        "booking.reschedule", #"{"bookingId":"\#(booking.id)","start":"\#(randomStart())"}"#, as: booking.owner)
                case 82..<86:
                    outcome = try await harness.call(
                        "sessions.createGroup",
                        #"{"start":"\#(randomStart())","minutes":60,"capacity":\#(Int.random(in: 1...3, using: &random)),"title":"G","topic":"T"}"#,
                        as: mentor)
                    if let id = outcome.object("booking")?["id"] as? String { groups.append(id) }
                case 86..<96 where !groups.isEmpty:
                    outcome = try await harness.call("booking.join", #"{"groupSessionId":"\#(groups.randomElement(using: &random)!)"}"#, as: mentee)
                    if let id = outcome.object("booking")?["id"] as? String { bookings.append((id, mentee)) }
                default:
                    harness.clock.advance(minutes: Int.random(in: 1...20, using: &random))
                    continue
                }
                let key = outcome.error.map { $0.reason ?? "code \($0.code)" } ?? "ok"
                outcomes[key, default: 0] += 1
                #expect(key == "ok" || Self.allowed.contains(key), "seed \(seed), step \(step): \(String(describing: outcome.error))")
                if step % 100 == 0 {
                    #expect(try await harness.overlaps() == 0, "seed \(seed), step \(step)")
                    #expect(try await harness.overfilledGroups() == 0, "seed \(seed), step \(step)")
                }
            }
            #expect(try await harness.overlaps() == 0, "seed \(seed)")
            #expect(try await harness.overfilledGroups() == 0, "seed \(seed)")
            // The incrementally maintained free runs offer exactly the slots a full recomputation offers.
            func offered() async throws -> [String] {
                let now = harness.clock.now
                let rows = try await harness.pool.client.query(
                    """
                    SELECT mentor_id::text || ' ' || to_char(s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM (
                        SELECT mentor_id, generate_series(starts_at, ends_at - make_interval(secs => slot_seconds), make_interval(secs => step_seconds)) AS s
                        FROM availability_runs) x
                    WHERE s >= \(now.date) AND s < \(now.adding(minutes: 30 * 1440).date) ORDER BY 1
                    """, logger: TestEnvironment.logger)
                var slots: [String] = []
                for try await slot in rows.decode(String.self) { slots.append(slot) }
                return slots
            }
            let incremental = try await offered()
            for mentor in mentors {
                let current = try #require(
                    try await harness.ok("availability.get", #"{"mentorId":"\#(mentor.id)"}"#)["availability"] as? [String: Any])
                let json = String(decoding: try JSONSerialization.data(withJSONObject: current), as: UTF8.self)
                try await harness.ok("availability.set", json, as: mentor)
            }
            #expect(incremental == (try await offered()), "seed \(seed)")
            #expect(!incremental.isEmpty)
            // The run exercised both sides: successes and refusals.
            #expect(outcomes["ok", default: 0] > 50 && outcomes["slot_taken", default: 0] > 0, "seed \(seed): \(outcomes)")
            print("booking property test: seed \(seed), \(operations) operations, outcomes \(outcomes.sorted { $0.key < $1.key })")
        }
    }
}

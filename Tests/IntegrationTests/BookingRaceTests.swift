import Foundation
import JSONRPC
import MentorLinkClient
import PostgresNIO
import Synchronization
import Testing

/// Many mentees racing for one slot (and for the last seat of a group session) through different worker
/// sockets: exactly one wins, every other gets `slot_taken` / `capacity_full`, nothing else.
@Suite(.timeLimit(.minutes(2))) struct BookingRaceTests {
    static let racers = 64

    /// Fires `body(i)` on `racers` threads at once, each on its own connection to worker `i % workers`.
    static func race(_ body: @escaping @Sendable (Int, HTTPConnection) throws -> String) async throws -> [String] {
        let directory = try TestEnvironment.runDirectory()
        let workers = TestEnvironment.workers()
        return try await TestEnvironment.offThePool {
            let results = Mutex([String](repeating: "", count: racers))
            let start = DispatchSemaphore(value: 0)
            let done = DispatchGroup()
            for index in 0..<racers {
                done.enter()
                Thread {
                    defer { done.leave() }
                    do {
                        let connection = try HTTPConnection(.unix("\(directory)/worker-\(index % workers).sock"))
                        start.wait()
                        let outcome = try body(index, connection)
                        results.withLock { $0[index] = outcome }
                    } catch { results.withLock { $0[index] = "client error: \(error)" } }
                }.start()
            }
            Thread.sleep(forTimeInterval: 0.2)
            for _ in 0..<racers { start.signal() }
            done.wait()
            return results.withLock { $0 }
        }
    }

    /// `ok` for a result, else the error's reason (or its code when it has none).
    static func outcome(_ response: [String: Any]) -> String {
        if response["result"] != nil { return "ok" }
        let error = response["error"] as? [String: Any]
        return ((error?["data"] as? [String: Any])?["reason"] as? String) ?? "code \(error?["code"] ?? "?")"
    }

    static func tomorrowAtTen() -> String {
        let day = Date().addingTimeInterval(2 * 86_400).formatted(Date.ISO8601FormatStyle().year().month().day())
        return "\(day)T10:00:00Z"
    }

    @Test func sixtyFourMenteesOneSlot() async throws {
        try await StackUsers.with { users in
            let mentor = try await users.make(.mentor)
            var mentees: [(id: UUID, token: String)] = []
            for _ in 0..<Self.racers { mentees.append(try await users.make(.mentee)) }
            let directory = try TestEnvironment.runDirectory()
            let weekly = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { #"{"day":"\#($0)","start":"00:00","end":"24:00"}"# }.joined(
                separator: ",")
            let setup = try HTTPConnection(.unix("\(directory)/worker-0.sock"))
            let set = try StackUsers.call(setup, token: mentor.token, "availability.set", #"{"timeZone":"UTC","weekly":[\#(weekly)]}"#)
            #expect(Self.outcome(set) == "ok")
            let start = Self.tomorrowAtTen()
            let tokens = mentees.map(\.token)
            let outcomes = try await Self.race { index, connection in
                Self.outcome(
                    try StackUsers.call(
                        connection, token: tokens[index], "booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(start)","minutes":60}"#))
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 1, "\(outcomes)")
            #expect(outcomes.filter { $0 == "slot_taken" }.count == Self.racers - 1, "\(Set(outcomes))")
            let count = try await users.client.query(
                "SELECT count(*)::int FROM bookings WHERE mentor_id = \(mentor.id) AND status = 'confirmed'", logger: TestEnvironment.logger)
            for try await value in count.decode(Int.self) { #expect(value == 1) }
        }
    }

    @Test func sixtyFourMenteesLastSeat() async throws {
        try await StackUsers.with { users in
            let mentor = try await users.make(.mentor)
            var mentees: [(id: UUID, token: String)] = []
            for _ in 0..<(Self.racers + 2) { mentees.append(try await users.make(.mentee)) }
            let directory = try TestEnvironment.runDirectory()
            let setup = try HTTPConnection(.unix("\(directory)/worker-1.sock"))
            let created = try StackUsers.call(
                setup, token: mentor.token, "sessions.createGroup",
                #"{"start":"\#(Self.tomorrowAtTen())","minutes":60,"capacity":3,"title":"Office hours","topic":"Go"}"#)
            let groupId = try #require(((created["result"] as? [String: Any])?["booking"] as? [String: Any])?["id"] as? String)
            // Two seats go first; 64 mentees race for the last one.
            for mentee in mentees.suffix(2) {
                #expect(Self.outcome(try StackUsers.call(setup, token: mentee.token, "booking.join", #"{"groupSessionId":"\#(groupId)"}"#)) == "ok")
            }
            let tokens = mentees.prefix(Self.racers).map(\.token)
            let outcomes = try await Self.race { index, connection in
                Self.outcome(try StackUsers.call(connection, token: tokens[index], "booking.join", #"{"groupSessionId":"\#(groupId)"}"#))
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 1, "\(outcomes)")
            #expect(outcomes.filter { $0 == "capacity_full" }.count == Self.racers - 1, "\(Set(outcomes))")
            let seats = try await users.client.query(
                "SELECT seats_taken, (SELECT count(*)::int FROM bookings WHERE parent_id = g.id AND status = 'confirmed') FROM bookings g WHERE g.id = \(UUID(uuidString: groupId)!)",
                logger: TestEnvironment.logger)
            for try await (taken, confirmed) in seats.decode((Int, Int).self) { #expect(taken == 3 && confirmed == 3) }
        }
    }
}

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

    /// Fires `body(i)` on `racers` threads at once, each on its own connection to worker `i % workers`; each
    /// racer's outcomes in order. A transient answer (`unavailable`, a worker's 503, no answer in 10 s: a loaded
    /// machine sheds load) is retried on a new connection, up to `attempts` times, as a client would.
    static func race(_ body: @escaping @Sendable (Int, HTTPConnection) throws -> String) async throws -> [[String]] {
        let directory = try TestEnvironment.runDirectory()
        let workers = TestEnvironment.workers()
        return try await TestEnvironment.offThePool {
            let results = Mutex([[String]](repeating: [], count: racers))
            let start = DispatchSemaphore(value: 0)
            let done = DispatchGroup()
            for index in 0..<racers {
                done.enter()
                Thread {
                    defer { done.leave() }
                    let endpoint = SocketConnection.Endpoint.unix("\(directory)/worker-\(index % workers).sock")
                    var connection = try? HTTPConnection(endpoint)
                    start.wait()
                    for attempt in 1...attempts {
                        let outcome: String
                        do {
                            guard let open = connection else { throw ClientError.closed }
                            outcome = try body(index, open)
                        } catch {
                            outcome = "client error: \(error)"
                            connection = try? HTTPConnection(endpoint)
                        }
                        results.withLock { $0[index].append(outcome) }
                        guard isTransient(outcome), attempt < attempts else { break }
                        Thread.sleep(forTimeInterval: 0.25 * Double(attempt))
                    }
                }.start()
            }
            Thread.sleep(forTimeInterval: 0.2)
            for _ in 0..<racers { start.signal() }
            done.wait()
            return results.withLock { $0 }
        }
    }

    static let attempts = 5

    /// An answer that says nothing about the race: the call may be repeated.
    static func isTransient(_ outcome: String) -> Bool {
        // Not a reset or a close: a worker that crashed under the race is a failure, not load shedding.
        outcome == "unavailable" || outcome == "http 503" || outcome == "client error: \(ClientError.timeout)"
    }

    /// The race's verdict against the database's: exactly one racer (`winner`, read from the database) won; every
    /// other one was refused with `refusal` in the end; the winner's answer was `ok`, unless a transient answer hid
    /// it (its retry then finds the seat gone, to itself).
    static func expectOneWinner(_ outcomes: [[String]], winners: [Int], refusal: String) {
        #expect(winners.count == 1, "winners \(winners), outcomes \(outcomes)")
        for (index, history) in outcomes.enumerated() {
            if winners.contains(index) {
                #expect(history.last == "ok" || history.dropLast().contains(where: isTransient), "winner \(index): \(history)")
            } else {
                #expect(history.last == refusal, "racer \(index): \(history)")
            }
        }
        #expect(outcomes.filter { $0.last == "ok" }.count <= 1, "\(outcomes)")
    }

    /// One call with a bearer token, its outcome (no expectation on the HTTP status: a 503 is an outcome).
    static func attempt(_ connection: HTTPConnection, token: String, _ method: String, _ params: String) throws -> String {
        let reply = try connection.request(
            "POST", "/rpc", headers: ["Content-Type": "application/json", "Authorization": "Bearer \(token)"],
            body: Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#.utf8))
        guard reply.status == 200 else { return "http \(reply.status)" }
        guard let response = try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any] else { return "not json" }
        return outcome(response)
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
                try Self.attempt(
                    connection, token: tokens[index], "booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(start)","minutes":60}"#)
            }
            let holders = try await users.client.query(
                "SELECT mentee_id FROM bookings WHERE mentor_id = \(mentor.id) AND status = 'confirmed'", logger: TestEnvironment.logger)
            var winners: [Int] = []
            for try await holder in holders.decode(UUID.self) { winners += mentees.indices.filter { mentees[$0].id == holder } }
            Self.expectOneWinner(outcomes, winners: winners, refusal: "slot_taken")
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
            let group = try #require(UUID(uuidString: groupId))
            // Two seats go first; 64 mentees race for the last one.
            for mentee in mentees.suffix(2) {
                #expect(Self.outcome(try StackUsers.call(setup, token: mentee.token, "booking.join", #"{"groupSessionId":"\#(groupId)"}"#)) == "ok")
            }
            let tokens = mentees.prefix(Self.racers).map(\.token)
            let outcomes = try await Self.race { index, connection in
                try Self.attempt(connection, token: tokens[index], "booking.join", #"{"groupSessionId":"\#(groupId)"}"#)
            }
            let holders = try await users.client.query(
                "SELECT mentee_id FROM bookings WHERE parent_id = \(group) AND status = 'confirmed'", logger: TestEnvironment.logger)
            var winners: [Int] = []
            for try await holder in holders.decode(UUID.self) { winners += (0..<Self.racers).filter { mentees[$0].id == holder } }
            Self.expectOneWinner(outcomes, winners: winners, refusal: "capacity_full")
            let seats = try await users.client.query(
                "SELECT seats_taken, (SELECT count(*)::int FROM bookings WHERE parent_id = g.id AND status = 'confirmed') FROM bookings g WHERE g.id = \(group)",
                logger: TestEnvironment.logger)
            for try await (taken, confirmed) in seats.decode((Int, Int).self) { #expect(taken == 3 && confirmed == 3) }
        }
    }
}

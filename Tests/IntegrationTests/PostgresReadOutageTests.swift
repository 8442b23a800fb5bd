import Foundation
import MentorLinkCore
import PostgresAdapter
import Testing

/// Reads outside a transaction translate driver errors as transactions do: PostgreSQL away during a read is
/// `unavailable("postgres")` (retryable), not an internal error.
@Suite(.timeLimit(.minutes(1))) struct PostgresReadOutageTests {
    /// A pool that answered once and was then stopped: every request on it fails as the pool is closed.
    static func stoppedPool() async throws -> PostgresPool {
        let socket = "\(try TestEnvironment.runDirectory())/pg/.s.PGSQL.5432"
        let pool = PostgresPool(socketPath: socket, username: "mentorlink", database: "postgres", logger: TestEnvironment.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.run() }
            try await pool.check()
            group.cancelAll()
        }
        return pool
    }

    @Test func readsOnAStoppedPoolAnswerUnavailable() async throws {
        let pool = try await Self.stoppedPool()
        let logger = TestEnvironment.logger
        let bookings = PostgresBookingStore(pool: pool, logger: logger)
        let payments = PostgresPaymentsStore(pool: pool, logger: logger)
        let identity = PostgresIdentityStore(pool: pool, logger: logger)
        let reads: [(String, @Sendable () async throws -> Void)] = [
            ("booking", { _ = try await bookings.booking(id: UUID()) }), ("profile", { _ = try await bookings.profile(mentorId: UUID()) }),
            ("search", { _ = try await bookings.search(MentorSearchQuery(text: "swift", sort: .relevance, limit: 10, now: .now)) }),
            ("template", { _ = try await bookings.template(mentorId: UUID()) }), ("wallet", { _ = try await payments.wallet(userId: UUID()) }),
            ("history", { _ = try await payments.history(userId: UUID(), beforeId: nil, limit: 10) }),
            ("payouts", { _ = try await payments.payouts(mentorId: nil, limit: 10) }), ("user", { _ = try await identity.user(id: UUID()) }),
            ("credentials", { _ = try await identity.credentials(email: "nobody@example.com") }),
            (
                "notifications",
                {
                    _ = try await PostgresNotificationStore(pool: pool, logger: logger).notifications(
                        userId: UUID(), unreadOnly: false, beforeId: nil, limit: 10)
                }
            ), ("messages", { _ = try await PostgresRoomStore(pool: pool, logger: logger).messages(roomId: UUID(), beforeSeq: nil, limit: 10) }),
            (
                "dead letters",
                { _ = try await PostgresDeadLetterStore(pool: pool, logger: logger).deadLetters(consumer: nil, afterId: nil, limit: 10) }
            ), ("outbox", { _ = try await PostgresOutbox(pool: pool, logger: logger).pending() }),
        ]
        for (name, read) in reads {
            do {
                try await read()
                Issue.record("\(name): answered on a stopped pool")
            } catch let error as CoreError { #expect(error == .unavailable("postgres"), "\(name)") } catch {
                Issue.record("\(name): \(String(reflecting: error)) instead of unavailable")
            }
        }
    }
}

import Logging
import MentorLinkCore
import PostgresNIO

extension PostgresPool {
    /// Runs `body` in one transaction; driver errors come out as the core's (see ``translate(_:)``).
    func transaction<T: Sendable>(logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do { return try await client.withTransaction(logger: logger) { connection in try await body(connection) } } catch let error
            as PostgresTransactionError
        { throw Self.translate(error.closureError ?? error.commitError ?? error.beginError ?? error) } catch { throw Self.translate(error) }
    }

    /// Driver errors become the core's: the unique email is `emailTaken`, an exclusion violation (``SQLState/exclusionViolation``) is
    /// `slotTaken`, a user ledger account below zero is `insufficientCredits`, a lost connection or a pool that is shut
    /// down or cannot connect (``PostgresAdapterError/outageDependency(of:)``) is `unavailable`; anything else passes through.
    static func translate(_ error: any Error) -> any Error {
        if let dependency = PostgresAdapterError.outageDependency(of: error) { return CoreError.unavailable(dependency) }
        guard let psql = error as? PSQLError else { return error }
        switch (psql.serverInfo?[.sqlState].map { SQLState($0) }, psql.serverInfo?[.constraintName]) {
        case (SQLState.uniqueViolation?, "users_email_key"): return CoreError.emailTaken
        case (SQLState.exclusionViolation?, _): return CoreError.slotTaken
        case (SQLState.uniqueViolation?, "bookings_one_seat"): return CoreError.duplicate("joined")
        case (SQLState.uniqueViolation?, "reviews_booking_id_author_id_key"): return CoreError.duplicate("reviewed")
        case (SQLState.uniqueViolation?, "bookings_idempotency"): return CoreError.idempotencyMismatch
        case (SQLState.checkViolation?, "ledger_non_negative"): return CoreError.insufficientCredits
        default: return error
        }
    }
}

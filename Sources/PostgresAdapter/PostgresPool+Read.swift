import Logging
import MentorLinkCore
import PostgresNIO

extension PostgresPool {
    /// Runs `body` on one pooled connection outside a transaction (reads, and single statements that need none);
    /// driver errors come out as the core's, as from ``transaction(logger:_:)``: PostgreSQL down during a read is
    /// `unavailable("postgres")`, not an internal error. `body` consumes its rows itself, so an error while they
    /// stream is translated too.
    func read<T: Sendable>(logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do { return try await client.withConnection { connection in try await body(connection) } } catch { throw Self.translate(error) }
    }
}

import PostgresAdapter
import PostgresNIO

extension PostgresPool {
    /// Runs a query returning one integer (a count) and returns it; 0 when it returns no row.
    func count(_ query: PostgresQuery) async throws -> Int {
        for try await value in try await client.query(query, logger: TestEnvironment.logger).decode(Int.self) { return value }
        return 0
    }
}

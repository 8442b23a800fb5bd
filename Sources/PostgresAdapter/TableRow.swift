import Logging
import PostgresNIO

/// How the adapter reads one table's rows: the columns its statements select or return, and the decoding of a row
/// whose first columns are those, in that order. One per table, so a column list and its decoding live in one place.
protocol TableRow {
    /// What a row becomes.
    associatedtype Value
    /// The column list, qualified by the alias the adapter's statements give the table.
    static var columns: String { get }
    /// The value of one row that starts with ``columns``.
    static func decode(_ row: PostgresRow) throws -> Value
}

extension PostgresConnection {
    /// The rows of `query` (which selects or returns `Row.columns` first), decoded.
    func fetch<Row: TableRow>(_ type: Row.Type, _ query: PostgresQuery, logger: Logger) async throws -> [Row.Value] {
        var values: [Row.Value] = []
        for try await row in try await self.query(query, logger: logger) { values.append(try Row.decode(row)) }
        return values
    }

    /// The first row of `query`, decoded; `nil` when it returned none.
    func fetchFirst<Row: TableRow>(_ type: Row.Type, _ query: PostgresQuery, logger: Logger) async throws -> Row.Value? {
        for try await row in try await self.query(query, logger: logger) { return try Row.decode(row) }
        return nil
    }

    /// The one row a statement always returns (an `UPDATE … RETURNING` of a row already locked, an `INSERT`).
    func fetchOne<Row: TableRow>(_ type: Row.Type, _ query: PostgresQuery, logger: Logger) async throws -> Row.Value {
        guard let value = try await fetchFirst(type, query, logger: logger) else { throw PostgresAdapterError.unexpectedEmptyResult }
        return value
    }
}

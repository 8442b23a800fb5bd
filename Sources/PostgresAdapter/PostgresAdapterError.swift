import PostgresNIO
import _ConnectionPoolModule

/// Errors of the PostgreSQL adapter.
public enum PostgresAdapterError: Error, Equatable, CustomStringConvertible {
    /// An applied migration file was changed afterwards.
    case migrationEdited(String)
    /// A query that always returns a row returned none.
    case unexpectedEmptyResult

    public var description: String {
        switch self {
        case .migrationEdited(let name): "migration \(name) was edited after it was applied; add a new file instead"
        case .unexpectedEmptyResult: "query returned no rows"
        }
    }
}

extension PostgresAdapterError {
    /// An error as a log line may show it: a driver error keeps its SQLSTATE, the server's message, the constraint,
    /// table and column it names, and the statement text (whose values are `$n` placeholders) — never the values bound
    /// to it, the server's DETAIL/WHERE/internal query (which repeat the failing row: emails, password hashes) or the
    /// bytes of a column that failed to decode. The message of a data exception (SQLSTATE class 22: it quotes the
    /// input value) is withheld too. Any other error is described as `String(reflecting:)` does.
    public static func logDescription(of error: any Error) -> String {
        switch error {
        case let psql as PSQLError:
            var parts = ["code: \(psql.code)"]
            let info = psql.serverInfo
            if let state = info?[.sqlState] {
                parts.append("sqlState: \(state)")
                parts.append(
                    "message: \(SQLState(state).errorClass == SQLState.dataException.errorClass ? "(withheld: data exception)" : info?[.message] ?? "")"
                )
            }
            for (name, field) in [("constraint", PSQLError.ServerInfo.Field.constraintName), ("table", .tableName), ("column", .columnName)] {
                if let value = info?[field] { parts.append("\(name): \(value)") }
            }
            if let query = psql.query { parts.append("statement: \(query.sql)") }
            return "PSQLError(\(parts.joined(separator: ", ")))"
        case let transaction as PostgresTransactionError:
            let parts = [
                ("begin", transaction.beginError), ("closure", transaction.closureError), ("commit", transaction.commitError),
                ("rollback", transaction.rollbackError),
            ].compactMap { name, error in error.map { "\(name): \(logDescription(of: $0))" } }
            return "PostgresTransactionError(\(parts.joined(separator: ", ")))"
        case let decoding as PostgresDecodingError:
            return
                "PostgresDecodingError(code: \(decoding.code), column: \(decoding.columnName), target: \(decoding.targetType), type: \(decoding.postgresType))"
        default: return String(reflecting: error)
        }
    }
}

extension PostgresAdapterError {
    /// `"postgres"` when `error` means PostgreSQL is away or too slow rather than that the query was wrong: the
    /// connection failed, closed or was never made (the pool is closed, or its circuit breaker tripped after a minute
    /// of failed connection attempts), the server is shutting down, starting up, out of connections or read-only
    /// (SQLSTATE class 08 but 08P01, class 57P, 53300, 25006), or the statement or lock timeout fired (57014, 55P03).
    /// The caller answers `unavailable`.
    public static func outageDependency(of error: any Error) -> String? {
        switch error {
        case let transaction as PostgresTransactionError:
            for inner in [transaction.beginError, transaction.closureError, transaction.commitError] {
                if let inner, let dependency = outageDependency(of: inner) { return dependency }
            }
            return nil
        case let pool as ConnectionPoolError: return pool == .requestCancelled ? nil : "postgres"
        case let psql as PSQLError:
            switch psql.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed: return "postgres"
            default:
                guard let state = psql.serverInfo?[.sqlState] else { return nil }
                return SQLState(state).meansServerAway ? "postgres" : nil
            }
        default: return nil
        }
    }
}

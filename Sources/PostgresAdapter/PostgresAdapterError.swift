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

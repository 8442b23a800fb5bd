import PostgresNIO

/// Builds a statement whose shape depends on its input: fixed SQL text, with every value bound as `$n`.
struct SQLBuilder {
    private(set) var bindings = PostgresBindings()

    /// Binds a value and returns its placeholder.
    mutating func bind<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value) throws -> String {
        try bindings.append(value)
        return "$\(bindings.count)"
    }

    /// The statement for `sql`.
    func query(_ sql: String) -> PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: bindings) }
}

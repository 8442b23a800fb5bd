import PostgresAdapter
import RedisAdapter

/// Which dependency an error says is away, asked of each adapter in turn: the workers answer it as `unavailable`,
/// the consumers wait instead of counting it toward the dead-letter store.
enum DependencyOutage {
    /// `"postgres"` or `"redis"` when `error` is one of their outages; `nil` otherwise.
    static func dependency(of error: any Error) -> String? {
        PostgresAdapterError.outageDependency(of: error) ?? RedisAdapterError.outageDependency(of: error)
    }
}

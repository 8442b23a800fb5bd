import MentorLinkCore
import PostgresAdapter
import RedisAdapter

/// Which dependency an error says is away, asked of each adapter in turn: the workers answer it as `unavailable`,
/// the consumers wait instead of counting it toward the dead-letter store.
enum DependencyOutage {
    /// `"postgres"` or `"redis"` when `error` is one of their outages; `nil` otherwise.
    /// An adapter that already translated its error says so with ``MentorLinkCore/CoreError/unavailable(_:)``
    /// (the PostgreSQL stores' reads and transactions do); the others throw their driver's errors.
    static func dependency(of error: any Error) -> String? {
        if case CoreError.unavailable(let dependency) = error { return dependency }
        return PostgresAdapterError.outageDependency(of: error) ?? RedisAdapterError.outageDependency(of: error)
    }
}

/// A dependency a process needs to be ready (PostgreSQL, Redis, Kafka). Adapters conform; `/readyz` asks each.
public protocol HealthCheck: Sendable {
    /// Short name shown in `/readyz` (`postgres`, `redis`, `kafka`).
    var name: String { get }
    /// Throws when the dependency cannot be reached right now.
    func check() async throws
}

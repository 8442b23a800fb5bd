public import Logging
public import MentorLinkCore
public import PostgresNIO
public import ServiceLifecycle

/// The PostgreSQL pool (PostgresNIO over a Unix socket or TCP) as a `Service` with a health check.
///
/// The pool reconnects by itself; `check()` answers `/readyz`.
public final class PostgresPool: Service, Sendable {
    /// The pool; adapters run their queries through it.
    public let client: PostgresClient
    /// One connection of its own for ``reachability``, so a busy pool never looks like a PostgreSQL that is down.
    let probeClient: PostgresClient
    let logger: Logger

    /// Connects over a Unix socket (the development and test setup).
    public init(socketPath: String, username: String, database: String, password: String? = nil, logger: Logger) {
        var configuration = PostgresClient.Configuration(unixSocketPath: socketPath, username: username, password: password, database: database)
        configuration.options.maximumConnections = 8
        configuration.options.minimumConnections = 1
        configuration.options.additionalStartupParameters = Self.sessionSettings
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.probeClient = PostgresClient(configuration: Self.probeConfiguration(configuration), backgroundLogger: logger)
        self.logger = logger
    }

    /// Session settings every connection starts with: search's typo tolerance (pg_trgm's word similarity,
    /// 0.6 by default, lowered to 0.45 so a transposition like "kubrenetes" still finds Kubernetes), and a statement
    /// and lock timeout under the workers' 10 s call deadline, so a call answered `unavailable` at its deadline does not
    /// leave a query holding a connection or a lock behind it (57014 and 55P03 are answered `unavailable` too).
    public static let sessionSettings = [("pg_trgm.word_similarity_threshold", "0.45"), ("statement_timeout", "9s"), ("lock_timeout", "8s")]

    /// Connects with an explicit configuration (production: `DATABASE_URL`).
    public init(configuration: PostgresClient.Configuration, logger: Logger) {
        var configuration = configuration
        configuration.options.additionalStartupParameters += Self.sessionSettings
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.probeClient = PostgresClient(configuration: Self.probeConfiguration(configuration), backgroundLogger: logger)
        self.logger = logger
    }

    static func probeConfiguration(_ configuration: PostgresClient.Configuration) -> PostgresClient.Configuration {
        var probe = configuration
        probe.options.maximumConnections = 1
        probe.options.minimumConnections = 1
        return probe
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.probeClient.run() }
        }
    }

    /// Whether PostgreSQL answers `SELECT 1` on the probe's own connection (for ``DependencyMonitor``-style watchers):
    /// a pool whose connections are all busy is not an outage.
    public var reachability: some HealthCheck { Reachability(pool: self) }

    struct Reachability: HealthCheck {
        let pool: PostgresPool
        var name: String { "postgres" }
        func check() async throws {
            let rows = try await pool.probeClient.query("SELECT 1::int4", logger: pool.logger)
            for try await _ in rows {}
        }
    }

    /// Throws when PostgreSQL does not answer `SELECT 1`.
    public func check() async throws {
        let rows = try await client.query("SELECT 1::int4", logger: logger)
        for try await _ in rows {}
    }
}

import Foundation
import Logging
import MentorLinkClient
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO

/// The services `scripts/test` started. A missing one fails the test that needs it; nothing is skipped.
enum TestEnvironment {
    struct Missing: Error, CustomStringConvertible {
        var what: String
        var description: String { "\(what) is not set: run the tests through scripts/test, which starts PostgreSQL, Redis, Kafka and nginx" }
    }

    static func runDirectory() throws -> String {
        guard let directory = ProcessInfo.processInfo.environment["MENTORLINK_RUN_DIR"] else { throw Missing(what: "MENTORLINK_RUN_DIR") }
        return directory
    }

    static func kafkaBrokers() throws -> String {
        let file = "\(try runDirectory())/kafka.bootstrap"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw Missing(what: file) }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func httpPort() throws -> UInt16 {
        guard let port = ProcessInfo.processInfo.environment["MENTORLINK_TEST_HTTP_PORT"].flatMap(UInt16.init) else {
            throw Missing(what: "MENTORLINK_TEST_HTTP_PORT")
        }
        return port
    }

    static func workers() -> Int { ProcessInfo.processInfo.environment["MENTORLINK_TEST_WORKERS"].flatMap(Int.init) ?? 2 }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    /// Runs `body` with a pool on a fresh, empty database of its own, dropped afterwards.
    static func withFreshDatabase(migrated: Bool = false, _ body: (PostgresPool) async throws -> Void) async throws {
        let socket = "\(try runDirectory())/pg/.s.PGSQL.5432"
        let name = "test_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = PostgresPool(socketPath: socket, username: "mentorlink", database: "postgres", logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await admin.run() }
            defer { group.cancelAll() }
            try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        let database = PostgresPool(socketPath: socket, username: "mentorlink", database: name, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await database.run() }
            defer { group.cancelAll() }
            if migrated { try await Migrator(database: database, directory: schemaDirectory, logger: logger).migrate() }
            try await body(database)
        }
        let cleanup = PostgresPool(socketPath: socket, username: "mentorlink", database: "postgres", logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cleanup.run() }
            defer { group.cancelAll() }
            try await cleanup.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }

    /// The repository's `schema/` directory.
    static var schemaDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../schema").standardized.path
    }

    /// Runs blocking client code on its own thread, off the cooperative pool (MentorLinkTesting's `offThePool`).
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T { try await MentorLinkTesting.offThePool(body) }
}

import Foundation
public import Logging
import PostgresNIO

/// Applies `schema/NNNN_*.sql` in order, each file in its own transaction, recording name and SHA-256;
/// refuses to run when a file that was applied has since been edited.
public struct Migrator: Sendable {
    let database: PostgresPool
    let directory: String
    let logger: Logger

    /// Creates a migrator for the files in `directory`.
    public init(database: PostgresPool, directory: String, logger: Logger) {
        self.database = database
        self.directory = directory
        self.logger = logger
    }

    /// A migration file.
    struct File {
        var name: String
        var text: String
    }

    /// Applies what is pending; returns the names applied now.
    @discardableResult public func migrate() async throws -> [String] {
        let files = try loadFiles()
        let client = database.client
        try await client.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name text PRIMARY KEY,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        var applied: [String] = []
        for file in files {
            let didApply = try await Self.unwrapped {
                try await client.withTransaction(logger: self.logger) { connection -> Bool in
                    // One migrator at a time, even with several processes starting together.
                    try await connection.query("SELECT pg_advisory_xact_lock(4242001)", logger: logger)
                    let checksum = try await Self.checksum(of: file.text, on: connection, logger: logger)
                    let rows = try await connection.query("SELECT checksum FROM schema_migrations WHERE name = \(file.name)", logger: logger)
                    for try await (recorded) in rows.decode(String.self) {
                        guard recorded == checksum else { throw PostgresAdapterError.migrationEdited(file.name) }
                        return false
                    }
                    for statement in SQLScript.statements(in: file.text) {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("INSERT INTO schema_migrations (name, checksum) VALUES (\(file.name), \(checksum))", logger: logger)
                    return true
                }
            }
            if didApply {
                logger.info("migrate.applied", metadata: ["migration": .string(file.name)])
                applied.append(file.name)
            }
        }
        return applied
    }

    /// PostgresNIO wraps errors thrown inside a transaction; ours are passed on as themselves.
    static func unwrapped<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? PostgresAdapterError { throw inner }
            throw error
        }
    }

    func loadFiles() throws -> [File] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sql") && $0.first?.isNumber == true }
            .sorted()
        return try names.map { name in File(name: name, text: try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8)) }
    }

    static func checksum(of text: String, on connection: PostgresConnection, logger: Logger) async throws -> String {
        let rows = try await connection.query("SELECT encode(sha256(convert_to(\(text), 'UTF8')), 'hex')", logger: logger)
        for try await value in rows.decode(String.self) { return value }
        throw PostgresAdapterError.unexpectedEmptyResult
    }
}

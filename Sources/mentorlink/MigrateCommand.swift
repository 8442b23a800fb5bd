import ArgumentParser
import Logging
import PostgresAdapter
import ServiceLifecycle

/// `mentorlink migrate`: applies pending `schema/*.sql` files.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending schema migrations.")

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        let logger = config.makeLogger("mentorlink.migrate")
        let database = PostgresPool(
            socketPath: config.postgresSocket, username: config.postgresUser, database: config.postgresDatabase, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await database.run() }
            defer { group.cancelAll() }
            let applied = try await Migrator(database: database, directory: config.schemaDirectory, logger: logger).migrate()
            print(applied.isEmpty ? "schema is up to date" : "applied: \(applied.joined(separator: ", "))")
        }
    }
}

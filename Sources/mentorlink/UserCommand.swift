import ArgumentParser
import Foundation
import IdentityService
import Logging
import MentorLinkCore
import PostgresAdapter

/// `mentorlink user create --role admin --email E --name N --password-stdin`: the only way to make an admin.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an account (any role).")

        @Option(help: "admin, mentor or mentee.") var role: String
        @Option var email: String
        @Option var name: String
        @Flag(help: "Read the password from standard input (first line).") var passwordStdin = false

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("role must be admin, mentor or mentee") }
            guard passwordStdin, let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("pass the password on standard input with --password-stdin")
            }
            let config = AppConfiguration.fromEnvironment()
            let logger = config.makeLogger("mentorlink.user")
            let pool = PostgresPool(
                socketPath: config.postgresSocket, username: config.postgresUser, database: config.postgresDatabase, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pool.run() }
                defer { group.cancelAll() }
                let user = try await UserCreation.create(
                    store: PostgresIdentityStore(pool: pool, logger: logger), email: email, name: name, password: password, role: role)
                print(user.id.uuidString)
            }
        }
    }
}

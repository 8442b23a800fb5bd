import ArgumentParser
import BookingService
import Foundation
import Logging
import MentorLinkCore
import PostgresAdapter

/// `mentorlink ledger check|settle`: verify the ledger (exit 1 when anything is off), or release due escrows once.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Check the ledger (balanced transactions, cached balances, one grant per payment) or settle due escrows.")

    enum Action: String, ExpressibleByArgument, CaseIterable { case check, settle }

    @Argument(help: "check or settle") var action: Action

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        let logger = config.makeLogger("mentorlink.ledger")
        let pool = PostgresPool(socketPath: config.postgresSocket, username: config.postgresUser, database: config.postgresDatabase, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.run() }
            defer { group.cancelAll() }
            switch action {
            case .check:
                let report = try await PostgresPaymentsStore(pool: pool, logger: logger).reconcile()
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
                if !report.ok { throw ExitCode(1) }
            case .settle:
                let store = PostgresBookingStore(pool: pool, logger: logger)
                let release = EscrowReleaseService(store: store, configuration: config.bookingConfiguration, batchSize: 10_000, logger: logger)
                let released = try await release.releaseDue()
                print("released \(released) escrows")
            }
        }
    }
}

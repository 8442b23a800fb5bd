import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// `mentorlink dev-payments [serve]` runs the local provider server; `mentorlink dev-payments pay ID` completes a
/// payment (by the project's payment id or the provider's reference), which sends its signed webhook.
struct DevPaymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-payments", abstract: "A local Stripe and UPI gateway stand-in for development and tests.",
        subcommands: [Serve.self, Pay.self], defaultSubcommand: Serve.self)

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the provider APIs.")

        @Option(help: "TCP port on 127.0.0.1.") var port: Int = 12111

        @Option(help: "Where webhooks go: nginx's base URL.") var webhookBase: String = "http://127.0.0.1:8080"

        @Flag(help: "Complete every payment shortly after it is created (test mode).") var autoComplete = false

        func run() async throws {
            let config = AppConfiguration.fromEnvironment()
            let logger = config.makeLogger("mentorlink.dev-payments")
            let server = DevPaymentsServer(settings: config.providers, webhookBase: webhookBase, autoComplete: autoComplete, logger: logger)
            let app = Application(router: server.router(), configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
            try await app.runService()
        }
    }

    struct Pay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pay", abstract: "Complete a payment and send its webhook.")

        @Argument(help: "The payment id, or the provider's pi_… / order_… reference.") var payment: String

        @Option(help: "The dev-payments port (default: the one the scripts wrote into <run dir>/dev-payments.port).") var port: Int?

        func run() async throws {
            let config = AppConfiguration.fromEnvironment()
            let written = (try? String(contentsOfFile: "\(config.runDirectory)/dev-payments.port", encoding: .utf8)).flatMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port ?? written ?? 12111)/dev/complete/\(payment)")
            request.method = .POST
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
            let body = try await response.body.collect(upTo: 1 << 16)
            print(String(buffer: body))
            if response.status.code != 200 { throw ExitCode(1) }
        }
    }
}

import Foundation
import IdentityService
import JSONRPC
import Logging
import MentorLinkCore
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import RedisAdapter
import Synchronization
import Testing

/// An internal error's log line carries the SQLSTATE, the server's message and the statement, never the values bound
/// to it (PostgreSQL's DETAIL repeats the failing row: the email and the password hash).
@Suite(.timeLimit(.minutes(2))) struct RedactedErrorLogTests {
    final class Captured: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    struct CapturingHandler: LogHandler {
        let sink: Captured
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt)
        {
            let all = self.metadata.merging(metadata ?? [:]) { $1 }
            sink.lines.withLock { $0.append("\(message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))") }
        }
    }

    @Test func aFailedInsertLogsNoBoundValues() async throws {
        try await TestEnvironment.withFreshDatabase(migrated: true) { pool in
            // Every new account now fails inside PostgreSQL (23514), with the whole row in the error's DETAIL.
            try await pool.client.query("ALTER TABLE users ADD CONSTRAINT refuse_everyone CHECK (false) NOT VALID")
            let redis = RedisClient(address: .unix(path: "\(try TestEnvironment.runDirectory())/redis.sock"), logger: TestEnvironment.logger)
            let configuration = IdentityHarness.configuration()
            let tokens = await AccessTokens(configuration: configuration)
            let revocations = RedisRevocationList(client: redis)
            let authenticator = IdentityAuthenticator(
                tokens: tokens, revocations: revocations, configuration: configuration, logger: TestEnvironment.logger)
            var registry = MethodRegistry()
            registry.mount(
                try await IdentityService(
                    store: PostgresIdentityStore(pool: pool, logger: TestEnvironment.logger), revocations: revocations,
                    limiter: RedisRateLimiter(client: redis), tokens: tokens, configuration: configuration, authenticator: authenticator,
                    logger: TestEnvironment.logger))
            let dispatcher = RPCDispatcher(
                registry: registry, info: OpenRPCInfo(title: "t", version: "0"), errorLogDescription: PostgresAdapterError.logDescription(of:))
            let captured = Captured()
            let logger = Logger(label: "capture") { _ in CapturingHandler(sink: captured) }
            let email = "secret-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let context = RPCContext(
                requestId: "t-redact", logger: logger, principal: nil, clientAddress: "10.0.0.1", transport: .http,
                credentials: RequestCredentials(bearer: nil, cookies: [:], origin: IdentityHarness.origin))
            let outcome = try await dispatcher.call(
                "identity.register", #"{"email":"\#(email)","password":"correct horse battery staple","name":"Secret Name","role":"mentee"}"#,
                context: context)
            #expect(outcome.error?.code == -32603)
            let line = try #require(captured.all.first { $0.hasPrefix("rpc.internal_error") })
            #expect(!line.contains(email) && !line.contains("$argon2") && !line.contains("Secret Name"))
            #expect(
                line.contains("sqlState: 23514") && line.contains(#"violates check constraint "refuse_everyone""#) && line.contains("table: users"))
        }
    }

    @Test func theStatementIsLoggedWithoutItsValues() async throws {
        try await TestEnvironment.withFreshDatabase(migrated: false) { pool in
            let secret = "secret-\(UUID().uuidString.prefix(8))"
            do {
                try await pool.client.query("SELECT \(secret)::int4")
                Issue.record("the cast should fail")
            } catch {
                let line = PostgresAdapterError.logDescription(of: error)
                #expect(!line.contains(secret))
                #expect(line.contains("sqlState: 22P02") && line.contains("statement: SELECT $1::int4") && line.contains("withheld"))
                #expect(String(reflecting: error).contains(secret))  // what the driver's own debug description shows
            }
        }
    }
}

import Foundation
import IdentityService
import JSONRPC
import MentorLinkClient
import MentorLinkCore
import PostgresAdapter
import PostgresNIO
import Testing

/// Users in the database of the stack `scripts/test` started, with access tokens signed by the stack's key, for
/// socket-level tests against the real workers.
struct StackUsers: Sendable {
    let client: PostgresClient
    let tokens: AccessTokens

    /// Runs `body` with a pool on the stack's database and a token issuer holding the workers' signing key.
    static func with(_ body: (StackUsers) async throws -> Void) async throws {
        let directory = try TestEnvironment.runDirectory()
        let secrets = try String(contentsOfFile: "\(directory)/secrets.env", encoding: .utf8)
        let line = try #require(secrets.split(separator: "\n").first { $0.hasPrefix("MENTORLINK_JWT_KEYS=") })
        let keys: [(kid: String, secret: [UInt8])] = line.dropFirst("MENTORLINK_JWT_KEYS=".count).split(separator: ",").compactMap { entry in
            let parts = entry.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let secret = Data(base64Encoded: String(parts[1])) else { return nil }
            return (String(parts[0]), Array(secret))
        }
        let tokens = await AccessTokens(configuration: IdentityConfiguration(signingKeys: keys, allowedOrigins: []))
        let pool = PostgresPool(
            socketPath: "\(directory)/pg/.s.PGSQL.5432", username: "mentorlink", database: "mentorlink", logger: TestEnvironment.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.run() }
            defer { group.cancelAll() }
            try await body(StackUsers(client: pool.client, tokens: tokens))
        }
    }

    /// A new user of `role` and a bearer token for it.
    func make(_ role: RPCRole) async throws -> (id: UUID, token: String) {
        let user = try await BookingHarness.insertUser(role, name: "Stack \(role.rawValue)", on: client)
        let (token, _) = try await tokens.issue(
            for: User(id: user.id, email: "x@example.com", name: "x", roles: [Role(rawValue: role.rawValue)!]), sessionId: UUID())
        return (user.id, token)
    }

    /// One JSON-RPC call on a worker socket with a bearer token; the parsed response object.
    static func call(_ connection: HTTPConnection, token: String, _ method: String, _ params: String) throws -> [String: Any] {
        let reply = try connection.request(
            "POST", "/rpc", headers: ["Content-Type": "application/json", "Authorization": "Bearer \(token)"],
            body: Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#.utf8))
        #expect(reply.status == 200, "HTTP \(reply.status) for \(method)")
        return try #require(try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any])
    }
}

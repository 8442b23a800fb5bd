public import Foundation
public import MentorLinkCore

/// ``RevocationList`` in Redis: `revoked:sid:<id>` keys that outlive any access token of the session.
public struct RedisRevocationList: RevocationList {
    let client: RedisClient

    /// Creates the list over a client.
    public init(client: RedisClient) { self.client = client }

    public func revoke(sessionIds: [UUID], ttl: Duration) async throws {
        guard !sessionIds.isEmpty else { return }
        let seconds = max(1, ttl.components.seconds)
        let replies = try await client.pipeline(sessionIds.map { ["SET", "revoked:sid:\($0.uuidString)", "1", "EX", "\(seconds)"] })
        for case .error(let message) in replies { throw RedisAdapterError.server(message) }
    }

    public func isRevoked(sessionId: UUID) async throws -> Bool {
        try await client.send("EXISTS", "revoked:sid:\(sessionId.uuidString)").integer == 1
    }
}

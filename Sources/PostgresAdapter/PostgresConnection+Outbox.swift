import Foundation
import Logging
import PostgresNIO

extension PostgresConnection {
    /// Writes an outbox event in the caller's transaction (`mentorlink relay` publishes it to Kafka).
    func appendEvent(_ type: String, aggregate: String, id: UUID, payload: some Encodable, logger: Logger) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(payload), as: UTF8.self)
        try await query(
            "INSERT INTO outbox (aggregate, aggregate_id, event_type, payload) VALUES (\(aggregate), \(id.uuidString), \(type), \(json)::jsonb)",
            logger: logger)
    }
}

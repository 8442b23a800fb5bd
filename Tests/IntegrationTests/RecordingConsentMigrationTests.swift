import Foundation
import JSONRPC
import PostgresAdapter
import PostgresNIO
import Testing

/// Consent to record is never retroactive: a booking made before the recordings migration (its mentee was never
/// shown the mentor's auto-record setting) does not consent once the schema is up to date; one made since keeps
/// what the trigger copied from its mentor.
@Suite(.timeLimit(.minutes(2))) struct RecordingConsentMigrationTests {
    @Test func bookingsFromBeforeRecordingsDoNotConsent() async throws {
        try await TestEnvironment.withFreshDatabase { pool in
            let logger = TestEnvironment.logger
            // The schema as it was before recordings: every migration before 0010.
            let before = FileManager.default.temporaryDirectory.appendingPathComponent("ml-schema-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: before, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: before) }
            let all = TestEnvironment.schemaDirectory
            for name in try FileManager.default.contentsOfDirectory(atPath: all) where name.hasSuffix(".sql") && name < "0010" {
                try FileManager.default.copyItem(atPath: "\(all)/\(name)", toPath: "\(before)/\(name)")
            }
            try await Migrator(database: pool, directory: before, logger: logger).migrate()
            let mentor = try await BookingHarness.insertUser(.mentor, name: "Old Mentor", on: pool.client)
            let mentee = try await BookingHarness.insertUser(.mentee, name: "Old Mentee", on: pool.client)
            func book(fromHours hours: Int) async throws -> UUID {
                let rows = try await pool.client.query(
                    """
                    INSERT INTO bookings (kind, mentor_id, mentee_id, starts_at, ends_at, blocked_from, blocked_until, status)
                    VALUES ('one_on_one', \(mentor.id), \(mentee.id), now() + \(hours) * interval '1 hour', now() + \(hours + 1) * interval '1 hour',
                            now() + \(hours) * interval '1 hour', now() + \(hours + 1) * interval '1 hour', 'confirmed')
                    RETURNING id
                    """, logger: logger)
                for try await id in rows.decode(UUID.self) { return id }
                throw TestEnvironment.Missing(what: "booking")
            }
            func consent(_ id: UUID) async throws -> Bool? {
                let rows = try await pool.client.query("SELECT record_consent FROM bookings WHERE id = \(id)", logger: logger)
                for try await value in rows.decode(Bool.self) { return value }
                return nil
            }
            let old = try await book(fromHours: 24)

            let applied = try await Migrator(database: pool, directory: all, logger: logger).migrate()
            #expect(applied.contains("0010_recordings.sql") && applied.count >= 2)
            #expect(try await consent(old) == false, "a booking made before recordings existed never consented")
            // Bookings made since: the mentor's setting (on by default, as the mentee saw it when booking).
            let new = try await book(fromHours: 48)
            #expect(try await consent(new) == true)
            // A migration already applied is not applied again.
            #expect(try await Migrator(database: pool, directory: all, logger: logger).migrate().isEmpty)
            #expect(try await consent(old) == false)
        }
    }
}

import Foundation
import Logging
import PostgresAdapter
import PostgresNIO
import Testing

@Suite(.serialized, .timeLimit(.minutes(2))) struct PostgresTests {
    func withDatabase(_ body: (PostgresPool) async throws -> Void) async throws { try await TestEnvironment.withFreshDatabase(body) }

    func schemaCopy() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let source = TestEnvironment.schemaDirectory
        for file in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: "\(source)/\(file)", toPath: "\(directory)/\(file)")
        }
        return directory
    }

    @Test func healthCheckAnswers() async throws { try await withDatabase { database in try await database.check() } }

    @Test func migrationsApplyOnceAndRefuseEditedFiles() async throws {
        let directory = try schemaCopy()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        -- a function body with semicolons inside dollar quotes
        CREATE TABLE t (id int PRIMARY KEY, note text DEFAULT 'a;b');
        CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$;
        """.write(toFile: "\(directory)/9000_test.sql", atomically: true, encoding: .utf8)
        try await withDatabase { database in
            let migrator = Migrator(database: database, directory: directory, logger: TestEnvironment.logger)
            let first = try await migrator.migrate()
            #expect(first.contains("0001_foundation.sql"))
            #expect(first.last == "9000_test.sql")
            #expect(try await migrator.migrate().isEmpty)
            let rows = try await database.client.query("SELECT f(), (SELECT count(*) FROM schema_migrations)::int")
            for try await (value, count) in rows.decode((Int32, Int32).self) {
                #expect(value == 1)
                #expect(Int(count) == first.count)
            }
            try "CREATE TABLE t (id int);".write(toFile: "\(directory)/9000_test.sql", atomically: true, encoding: .utf8)
            await #expect(throws: PostgresAdapterError.migrationEdited("9000_test.sql")) { try await migrator.migrate() }
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        let directory = try schemaCopy()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "CREATE TABLE half (id int); SELECT 1/0;".write(toFile: "\(directory)/9001_broken.sql", atomically: true, encoding: .utf8)
        try await withDatabase { database in
            let migrator = Migrator(database: database, directory: directory, logger: TestEnvironment.logger)
            await #expect(throws: (any Error).self) { try await migrator.migrate() }
            let rows = try await database.client.query(
                "SELECT to_regclass('half') IS NULL, (SELECT count(*) FROM schema_migrations WHERE name = '9001_broken.sql')::int")
            for try await (absent, recorded) in rows.decode((Bool, Int32).self) {
                #expect(absent)
                #expect(recorded == 0)
            }
        }
    }

    @Test func scriptSplitting() {
        let statements = SQLScript.statements(
            in: """
                -- comment; with semicolon
                CREATE TABLE a (x text DEFAULT 'it''s; fine');
                /* block; comment */ CREATE TABLE "b;c" (y int);
                DO $body$ BEGIN PERFORM 1; END $body$;
                """)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("DEFAULT 'it''s; fine')"))
        #expect(statements[2] == "DO $body$ BEGIN PERFORM 1; END $body$")
    }
}

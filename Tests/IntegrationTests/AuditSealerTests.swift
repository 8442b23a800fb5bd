import AuditService
import Foundation
import MentorLinkCore
import PostgresAdapter
import PostgresNIO
import Testing

/// The audit log's chain is built after commit (`audit_pending` → `audit_seal` → `audit_log`): audited writers do not
/// wait for each other, and every committed entry is chained exactly once, in one unbroken chain.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AuditSealerTests {
    static func append(_ action: String, on connection: PostgresConnection) async throws {
        try await connection.query("SELECT audit_append(NULL, \(action), NULL, 'success', NULL, NULL, '{}')", logger: TestEnvironment.logger)
    }

    @Test func auditedWritersDoNotWaitForEachOther() async throws {
        try await IdentityHarness.with { h in
            try await h.pool.client.withConnection { open in
                try await open.query("BEGIN", logger: TestEnvironment.logger)
                try await Self.append("test.open", on: open)
                // Before the sealer, this append waited for the log's lock until the open transaction ended.
                try await h.pool.client.withConnection { other in
                    try await other.query("SET lock_timeout = '2s'", logger: TestEnvironment.logger)
                    try await Self.append("test.committed", on: other)
                    try await other.query("RESET lock_timeout", logger: TestEnvironment.logger)
                }
                #expect(try await h.store.auditEntries(AuditQuery(limit: 10)).map(\.action) == ["test.committed"])
                try await open.query("COMMIT", logger: TestEnvironment.logger)
            }
            #expect(try await h.store.auditEntries(AuditQuery(limit: 10)).map(\.action) == ["test.committed", "test.open"])
            #expect(try await h.store.verifyAudit() == AuditVerification(ok: true, checked: 2, firstBrokenId: nil))
        }
    }

    @Test func aRolledBackAppendLeavesNothing() async throws {
        try await IdentityHarness.with { h in
            try await h.pool.client.withConnection { connection in
                try await connection.query("BEGIN", logger: TestEnvironment.logger)
                try await Self.append("test.rolled_back", on: connection)
                try await connection.query("ROLLBACK", logger: TestEnvironment.logger)
            }
            try await h.store.appendAudit(AuditEntry(actorId: nil, action: "test.kept"))
            #expect(try await h.store.auditEntries(AuditQuery(limit: 10)).map(\.action) == ["test.kept"])
            #expect(try await h.pool.count("SELECT count(*)::int FROM audit_entries") == 1)
        }
    }

    @Test func pendingEntriesCannotBeChanged() async throws {
        try await IdentityHarness.with { h in
            try await h.store.appendAudit(AuditEntry(actorId: nil, action: "test.pending"))
            await #expect(throws: (any Error).self) { try await h.pool.client.query("UPDATE audit_pending SET outcome = 'forged'") }
            await #expect(throws: (any Error).self) { try await h.pool.client.query("TRUNCATE audit_pending") }
            #expect(try await h.store.auditEntries(AuditQuery(limit: 10)).map(\.outcome) == ["success"])
        }
    }

    @Test func theSealerChainsConcurrentAppendsOnceInOneChain() async throws {
        try await IdentityHarness.with { h in
            let sealer = AuditSealer(log: h.store, interval: .milliseconds(20), logger: TestEnvironment.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await sealer.run() }
                // Two sealers and 200 appends from 8 writers at once.
                group.addTask { try await AuditSealer(log: h.store, interval: .milliseconds(30), logger: TestEnvironment.logger).run() }
                try await withThrowingTaskGroup(of: Void.self) { writers in
                    for writer in 0..<8 {
                        writers.addTask {
                            for index in 0..<25 {
                                try await h.store.appendAudit(AuditEntry(actorId: nil, action: "test.w\(writer)", target: "\(index)"))
                            }
                        }
                    }
                    try await writers.waitForAll()
                }
                // The sealers alone empty the queue (no read seals here: these are direct counts).
                var pending = -1
                for _ in 0..<250 where pending != 0 {
                    pending = try await h.pool.count("SELECT count(*)::int FROM audit_pending")
                    if pending != 0 { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(pending == 0)
                group.cancelAll()
            }
            #expect(try await h.pool.count("SELECT count(*)::int FROM audit_log") == 200)
            #expect(try await h.pool.count("SELECT count(DISTINCT (action, target))::int FROM audit_log") == 200)
            #expect(try await h.store.verifyAudit() == AuditVerification(ok: true, checked: 200, firstBrokenId: nil))
        }
    }
}

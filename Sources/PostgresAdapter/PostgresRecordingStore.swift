public import Foundation
public import Logging
public import MentorLinkCore
import PostgresNIO

/// ``RecordingStore`` on PostgreSQL. State changes write their ``RecordingEvent`` to the outbox in the same
/// transaction; an append holds its recording's row lock (then the track's), so a stop and the last byte of the last
/// track cannot miss each other.
public struct PostgresRecordingStore: RecordingStore {
    let pool: PostgresPool
    let logger: Logger

    /// Creates the store over a pool.
    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    public func start(
        roomId: UUID, mentorId: UUID, startedBy: UUID?, auto: Bool, audit: AuditEntry?
    ) async throws -> (
        recording: Recording, started: Bool
    ) {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let inserted = try await connection.query(
                """
                INSERT INTO recordings (room_id, mentor_id, state, auto, started_by) VALUES (\(roomId), \(mentorId), 'recording', \(auto), \(startedBy))
                ON CONFLICT (room_id) WHERE state = 'recording' DO NOTHING RETURNING id
                """, logger: logger)
            var newId: UUID?
            for try await id in inserted.decode(UUID.self) { newId = id }
            if let newId {
                let recording = try await Self.load(connection, id: newId, logger: logger)
                try await connection.appendEvent(RecordingEvent(name: .started, payload: recording), logger: logger)
                if let audit { try await connection.appendAudit(Self.targeting(audit, newId), logger: logger) }
                return (recording, true)
            }
            let running = try await connection.query(
                "SELECT id FROM recordings WHERE room_id = \(roomId) AND state = 'recording'", logger: logger)
            for try await id in running.decode(UUID.self) { return (try await Self.load(connection, id: id, logger: logger), false) }
            throw CoreError.unavailable("recording start raced a stop; retry")
        }
    }

    public func stop(roomId: UUID, finalizeWithin: Duration, audit: AuditEntry?) async throws -> Recording? {
        let logger = self.logger
        let seconds = Double(finalizeWithin.components.seconds)
        return try await pool.transaction(logger: logger) { connection in
            let locked = try await connection.query(
                "SELECT id FROM recordings WHERE room_id = \(roomId) AND state = 'recording' FOR NO KEY UPDATE", logger: logger)
            var found: UUID?
            for try await id in locked.decode(UUID.self) { found = id }
            guard let id = found else { return nil }
            try await connection.query(
                """
                UPDATE recordings SET stopped_at = now(), updated_at = now(), finalize_by = now() + make_interval(secs => \(seconds)),
                    state = CASE WHEN EXISTS (SELECT 1 FROM recording_tracks WHERE recording_id = \(id) AND completed_at IS NULL)
                                 THEN 'finalizing' ELSE 'processing' END
                WHERE id = \(id)
                """, logger: logger)
            let recording = try await Self.load(connection, id: id, logger: logger)
            try await connection.appendEvent(RecordingEvent(name: .stopped, payload: recording), logger: logger)
            if recording.state == .processing {
                try await connection.appendEvent(RecordingEvent(name: .processing, payload: recording), logger: logger)
            }
            if let audit { try await connection.appendAudit(Self.targeting(audit, id), logger: logger) }
            return recording
        }
    }

    public func recording(id: UUID) async throws -> Recording? {
        let logger = self.logger
        return try await pool.read(logger: logger) { connection in
            guard
                let row = try await connection.fetchFirst(
                    RecordingRow.self, "SELECT \(unescaped: RecordingRow.columns) FROM recordings r WHERE r.id = \(id)", logger: logger)
            else { return nil }
            return try await Self.withTracks(connection, [row], logger: logger).first
        }
    }

    public func recordings(roomId: UUID?, participantId: UUID?, before: (createdAt: Instant, id: UUID)?, limit: Int) async throws -> [Recording] {
        let logger = self.logger
        return try await pool.read(logger: logger) { connection in
            let rows = try await connection.fetch(
                RecordingRow.self,
                """
                SELECT \(unescaped: RecordingRow.columns) FROM recordings r
                WHERE (\(roomId)::uuid IS NULL OR r.room_id = \(roomId))
                  AND (\(participantId)::uuid IS NULL OR r.mentor_id = \(participantId) OR EXISTS (
                        SELECT 1 FROM bookings b WHERE b.mentee_id = \(participantId) AND b.status = 'confirmed'
                           AND (b.id = r.room_id OR b.parent_id = r.room_id)))
                  AND (\(before?.createdAt.date)::timestamptz IS NULL
                       OR (date_trunc('milliseconds', r.created_at), r.id) < (\(before?.createdAt.date), \(before?.id)))
                ORDER BY date_trunc('milliseconds', r.created_at) DESC, r.id DESC LIMIT \(limit)
                """, logger: logger)
            return try await Self.withTracks(connection, rows, logger: logger)
        }
    }

    public func delete(id: UUID, audit: AuditEntry?) async throws -> Bool {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            guard
                let row = try await connection.fetchFirst(
                    RecordingRow.self, "SELECT \(unescaped: RecordingRow.columns) FROM recordings r WHERE r.id = \(id)", logger: logger)
            else { return false }
            try await connection.query("DELETE FROM recordings WHERE id = \(id)", logger: logger)
            try await connection.appendEvent(RecordingEvent(name: .deleted, payload: row), logger: logger)
            if let audit { try await connection.appendAudit(Self.targeting(audit, id), logger: logger) }
            return true
        }
    }

    public func createTrack(
        recordingId: UUID, participantId: UUID, mime: String, length: Int64?, startedAt: Instant, clientOffsetMs: Int64?, expiresAt: Instant,
        maxPerParticipant: Int
    )
        async throws -> RecordingTrack
    {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let state = try await connection.query(
                "SELECT state FROM recordings WHERE id = \(recordingId) FOR NO KEY UPDATE", logger: logger)
            var current: String?
            for try await value in state.decode(String.self) { current = value }
            guard let current else { throw CoreError.notFound }
            guard current == RecordingState.recording.rawValue else { throw CoreError.invalidState("the recording is \(current)") }
            // Counted under the recording's row lock: two creations at once cannot both take the last place.
            let counted = try await connection.query(
                "SELECT count(*)::int FROM recording_tracks WHERE recording_id = \(recordingId) AND participant_id = \(participantId)",
                logger: logger)
            for try await count in counted.decode(Int.self) where count >= maxPerParticipant {
                throw CoreError.invalidState("too_many_tracks")
            }
            return try await connection.fetchOne(
                RecordingTrackRow.self,
                """
                INSERT INTO recording_tracks AS t (recording_id, participant_id, mime, length, started_at, client_offset_ms, expires_at, completed_at)
                VALUES (\(recordingId), \(participantId), \(mime), \(length), \(startedAt.date), \(clientOffsetMs), \(expiresAt.date),
                        CASE WHEN \(length)::int8 = 0 THEN now() END)
                RETURNING \(unescaped: RecordingTrackRow.columns)
                """, logger: logger)
        }
    }

    public func track(id: UUID) async throws -> (track: RecordingTrack, recording: Recording)? {
        let logger = self.logger
        return try await pool.read(logger: logger) { connection in
            let found = try await connection.query("SELECT recording_id FROM recording_tracks WHERE id = \(id)", logger: logger)
            var recordingId: UUID?
            for try await value in found.decode(UUID.self) { recordingId = value }
            guard let recordingId,
                let row = try await connection.fetchFirst(
                    RecordingRow.self, "SELECT \(unescaped: RecordingRow.columns) FROM recordings r WHERE r.id = \(recordingId)", logger: logger),
                let recording = try await Self.withTracks(connection, [row], logger: logger).first,
                let track = recording.tracks.first(where: { $0.id == id })
            else { return nil }
            return (track, recording)
        }
    }

    public func append(
        trackId: UUID, offset: Int64, count: Int64, declareLength: Int64?, expiresAt: Instant, write: @escaping @Sendable () async throws -> Void
    ) async throws -> TrackAppend {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            // The recording's row first (as stop takes it), then the track's.
            let owner = try await connection.query(
                """
                SELECT r.id, r.state FROM recordings r JOIN recording_tracks t ON t.recording_id = r.id WHERE t.id = \(trackId)
                FOR NO KEY UPDATE OF r
                """, logger: logger)
            var found: (UUID, String)?
            for try await row in owner.decode((UUID, String).self) { found = row }
            guard let (recordingId, state) = found else { throw CoreError.notFound }
            let track = try await connection.fetchOne(
                RecordingTrackRow.self, "SELECT \(unescaped: RecordingTrackRow.columns) FROM recording_tracks t WHERE t.id = \(trackId) FOR UPDATE",
                logger: logger)
            let plan = try TrackAppendPlan(track: track, offset: offset, count: count, declareLength: declareLength)
            try await write()
            let updated = try await connection.fetchOne(
                RecordingTrackRow.self,
                """
                UPDATE recording_tracks AS t SET "offset" = \(plan.newOffset), length = \(plan.length), expires_at = \(expiresAt.date),
                    completed_at = CASE WHEN \(plan.completes) THEN now() END
                WHERE t.id = \(trackId) RETURNING \(unescaped: RecordingTrackRow.columns)
                """, logger: logger)
            guard plan.completes, state != RecordingState.recording.rawValue else { return TrackAppend(track: updated, recordingReady: false) }
            // The last bytes of a stopped recording's track: process when nothing else is awaited; a track completing
            // after processing began starts a new revision.
            let moved = try await connection.query(
                """
                UPDATE recordings SET updated_at = now(), state = 'processing', progress = 0,
                    revision = revision + CASE WHEN state = 'finalizing' THEN 0 ELSE 1 END
                WHERE id = \(recordingId)
                  AND (state IN ('processing', 'ready', 'partial', 'failed')
                       OR (state = 'finalizing'
                           AND NOT EXISTS (SELECT 1 FROM recording_tracks WHERE recording_id = \(recordingId) AND completed_at IS NULL)))
                RETURNING id
                """, logger: logger)
            var ready = false
            for try await _ in moved.decode(UUID.self) { ready = true }
            if ready {
                let recording = try await Self.load(connection, id: recordingId, logger: logger)
                try await connection.appendEvent(RecordingEvent(name: .processing, payload: recording), logger: logger)
            }
            return TrackAppend(track: updated, recordingReady: ready)
        }
    }

    public func deleteTrack(id: UUID) async throws {
        let logger = self.logger
        try await pool.transaction(logger: logger) { connection in
            try await connection.query("DELETE FROM recording_tracks WHERE id = \(id)", logger: logger)
        }
    }

    public func finalizeOverdue(now: Instant) async throws -> [Recording] {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let moved = try await connection.query(
                """
                UPDATE recordings SET state = 'processing', progress = 0, updated_at = now()
                WHERE state = 'finalizing' AND finalize_by <= \(now.date) RETURNING id
                """, logger: logger)
            var ids: [UUID] = []
            for try await id in moved.decode(UUID.self) { ids.append(id) }
            var recordings: [Recording] = []
            for id in ids {
                let recording = try await Self.load(connection, id: id, logger: logger)
                try await connection.appendEvent(RecordingEvent(name: .processing, payload: recording), logger: logger)
                recordings.append(recording)
            }
            return recordings
        }
    }

    public func setProgress(id: UUID, revision: Int, progress: Int) async throws {
        let logger = self.logger
        try await pool.transaction(logger: logger) { connection in
            try await connection.query(
                "UPDATE recordings SET progress = \(min(100, max(0, progress))) WHERE id = \(id) AND revision = \(revision) AND state = 'processing'",
                logger: logger)
        }
    }

    public func finish(
        id: UUID, revision: Int, state: RecordingState, outputs: [RecordingOutput], gaps: [RecordingGap], durations: [UUID: Int64], failure: String?
    ) async throws -> Recording? {
        let logger = self.logger
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let outputsJSON = String(decoding: try encoder.encode(outputs), as: UTF8.self)
        let gapsJSON = String(decoding: try encoder.encode(gaps), as: UTF8.self)
        return try await pool.transaction(logger: logger) { connection in
            let updated = try await connection.query(
                """
                UPDATE recordings SET state = \(state.rawValue), outputs = \(outputsJSON)::jsonb, gaps = \(gapsJSON)::jsonb, failure = \(failure),
                    processed_revision = \(revision), progress = 100, updated_at = now()
                WHERE id = \(id) AND revision = \(revision) AND state = 'processing' RETURNING id
                """, logger: logger)
            var changed = false
            for try await _ in updated.decode(UUID.self) { changed = true }
            guard changed else { return nil }
            for (trackId, duration) in durations {
                try await connection.query(
                    "UPDATE recording_tracks SET duration_ms = \(duration) WHERE id = \(trackId) AND recording_id = \(id)", logger: logger)
            }
            let recording = try await Self.load(connection, id: id, logger: logger)
            try await connection.appendEvent(RecordingEvent(name: .ready, payload: recording), logger: logger)
            return recording
        }
    }

    public func expired(before cutoff: Instant, limit: Int) async throws -> [Recording] {
        let logger = self.logger
        return try await pool.read(logger: logger) { connection in
            let rows = try await connection.fetch(
                RecordingRow.self,
                """
                SELECT \(unescaped: RecordingRow.columns) FROM recordings r
                WHERE r.created_at < \(cutoff.date) AND r.state NOT IN ('recording', 'processing') ORDER BY r.created_at LIMIT \(limit)
                """, logger: logger)
            return try await Self.withTracks(connection, rows, logger: logger)
        }
    }

    public func overrunRooms(endedBefore cutoff: Instant, limit: Int) async throws -> [UUID] {
        let logger = self.logger
        return try await pool.read(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT r.room_id FROM recordings r JOIN bookings b ON b.id = r.room_id
                WHERE r.state = 'recording' AND b.ends_at < \(cutoff.date) ORDER BY r.started_at LIMIT \(limit)
                """, logger: logger)
            var rooms: [UUID] = []
            for try await room in rows.decode(UUID.self) { rooms.append(room) }
            return rooms
        }
    }

    // MARK: Helpers

    static func load(_ connection: PostgresConnection, id: UUID, logger: Logger) async throws -> Recording {
        let row = try await connection.fetchOne(
            RecordingRow.self, "SELECT \(unescaped: RecordingRow.columns) FROM recordings r WHERE r.id = \(id)", logger: logger)
        return try await withTracks(connection, [row], logger: logger)[0]
    }

    static func withTracks(_ connection: PostgresConnection, _ recordings: [Recording], logger: Logger) async throws -> [Recording] {
        guard !recordings.isEmpty else { return [] }
        let ids = recordings.map(\.id)
        let rows = try await connection.query(
            "SELECT \(unescaped: RecordingTrackRow.columns), t.recording_id FROM recording_tracks t WHERE t.recording_id = ANY(\(ids)) ORDER BY t.started_at, t.id",
            logger: logger)
        var tracks: [UUID: [RecordingTrack]] = [:]
        for try await row in rows {
            let (track, recordingId) = try RecordingTrackRow.decodeWithRecording(row)
            tracks[recordingId, default: []].append(track)
        }
        return recordings.map { recording in
            var recording = recording
            recording.tracks = tracks[recording.id] ?? []
            return recording
        }
    }

    static func targeting(_ entry: AuditEntry, _ id: UUID) -> AuditEntry {
        var entry = entry
        entry.target = id.uuidString.lowercased()
        return entry
    }
}

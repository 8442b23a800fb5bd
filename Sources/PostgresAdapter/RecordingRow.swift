import Foundation
import MentorLinkCore
import PostgresNIO

/// A `recordings` row (alias `r`) as a ``Recording`` without its tracks (``PostgresRecordingStore`` adds them).
enum RecordingRow: TableRow {
    static let columns = """
        r.id, r.room_id, r.mentor_id, r.state, r.auto, r.started_at, r.stopped_at, r.revision, r.processed_revision, r.progress, r.failure, \
        r.gaps::text, r.outputs::text, date_trunc('milliseconds', r.created_at)
        """

    static func decode(_ row: PostgresRow) throws -> Recording {
        let r = try row.decode((UUID, UUID, UUID, String, Bool, Date, Date?, Int, Int?, Int, String?, String, String, Date).self)
        let decoder = JSONDecoder()
        return Recording(
            id: r.0, roomId: r.1, mentorId: r.2, state: RecordingState(rawValue: r.3) ?? .failed, auto: r.4, startedAt: Instant(r.5),
            stoppedAt: r.6.map(Instant.init), revision: r.7, processedRevision: r.8, progress: r.9, failure: r.10,
            gaps: (try? decoder.decode([RecordingGap].self, from: Data(r.11.utf8))) ?? [],
            outputs: (try? decoder.decode([RecordingOutput].self, from: Data(r.12.utf8))) ?? [], tracks: [], createdAt: Instant(r.13))
    }
}

/// A `recording_tracks` row (alias `t`) as a ``RecordingTrack``.
enum RecordingTrackRow: TableRow {
    static let columns = """
        t.id, t.participant_id, t.mime, t."offset", t.length, t.duration_ms, t.started_at, t.client_offset_ms, t.expires_at, t.completed_at
        """

    static func decode(_ row: PostgresRow) throws -> RecordingTrack {
        let t = try row.decode((UUID, UUID, String, Int64, Int64?, Int64?, Date, Int64?, Date, Date?).self)
        return track(t)
    }

    /// ``columns`` followed by `t.recording_id`.
    static func decodeWithRecording(_ row: PostgresRow) throws -> (RecordingTrack, UUID) {
        let t = try row.decode((UUID, UUID, String, Int64, Int64?, Int64?, Date, Int64?, Date, Date?, UUID).self)
        return (track((t.0, t.1, t.2, t.3, t.4, t.5, t.6, t.7, t.8, t.9)), t.10)
    }

    private static func track(_ t: (UUID, UUID, String, Int64, Int64?, Int64?, Date, Int64?, Date, Date?)) -> RecordingTrack {
        RecordingTrack(
            id: t.0, participantId: t.1, mime: t.2, bytes: t.3, length: t.4, durationMs: t.5, startedAt: Instant(t.6), clientOffsetMs: t.7,
            expiresAt: Instant(t.8), completedAt: t.9.map(Instant.init))
    }
}

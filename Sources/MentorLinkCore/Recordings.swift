public import Foundation

/// Where a recording is in its life: `recording → finalizing → processing → ready | partial | failed`.
public enum RecordingState: String, Codable, Sendable, Hashable, CaseIterable {
    /// Participants' browsers are recording and uploading.
    case recording
    /// Stopped; waiting for the tracks' last bytes (until the recording's finalize deadline).
    case finalizing
    /// The media consumer is making the outputs.
    case processing
    /// Every track is complete and every output made.
    case ready
    /// Outputs made, but a track is missing or has a gap.
    case partial
    /// Nothing could be made (``Recording/failure`` says why).
    case failed
}

/// One participant's upload: a tus upload of a WebM stream recorded by their browser.
public struct RecordingTrack: Codable, Sendable, Hashable {
    public var id: UUID
    public var participantId: UUID
    public var mime: String
    /// Bytes received so far (the tus offset).
    public var bytes: Int64
    /// The declared length; `nil` while deferred.
    public var length: Int64?
    public var durationMs: Int64?
    /// Stamped by the server when the upload was created.
    public var startedAt: Instant
    /// The client's clock minus the server's when the upload was created.
    public var clientOffsetMs: Int64?
    public var expiresAt: Instant
    public var completedAt: Instant?

    public init(
        id: UUID, participantId: UUID, mime: String, bytes: Int64, length: Int64?, durationMs: Int64?, startedAt: Instant, clientOffsetMs: Int64?,
        expiresAt: Instant, completedAt: Instant?
    ) {
        self.id = id
        self.participantId = participantId
        self.mime = mime
        self.bytes = bytes
        self.length = length
        self.durationMs = durationMs
        self.startedAt = startedAt
        self.clientOffsetMs = clientOffsetMs
        self.expiresAt = expiresAt
        self.completedAt = completedAt
    }

    /// Every declared byte is there.
    public var isComplete: Bool { completedAt != nil }
}

/// What the media consumer made of a recording.
public struct RecordingOutput: Codable, Sendable, Hashable {
    /// `mp4` (one participant's), `composite` (everyone, aligned) or `hls` (the composite, fMP4 segments).
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable { case mp4, hls, composite }
    public var kind: Kind
    /// The object key (a prefix ending in `/` for HLS); callers get signed URLs, never keys.
    public var key: String
    public var durationMs: Int64
    /// The participant of an `mp4`.
    public var participantId: UUID?

    public init(kind: Kind, key: String, durationMs: Int64, participantId: UUID? = nil) {
        self.kind = kind
        self.key = key
        self.durationMs = durationMs
        self.participantId = participantId
    }
}

/// A stretch of a track the recording has no media for (shown as a frozen frame and silence).
public struct RecordingGap: Codable, Sendable, Hashable {
    public var trackId: UUID
    public var startMs: Int64
    public var lengthMs: Int64

    public init(trackId: UUID, startMs: Int64, lengthMs: Int64) {
        self.trackId = trackId
        self.startMs = startMs
        self.lengthMs = lengthMs
    }
}

/// A room's recording.
public struct Recording: Codable, Sendable, Hashable {
    public var id: UUID
    public var roomId: UUID
    public var mentorId: UUID
    public var state: RecordingState
    /// Started by itself (auto-record) rather than by the mentor.
    public var auto: Bool
    public var startedAt: Instant
    public var stoppedAt: Instant?
    public var revision: Int
    /// The last revision the media consumer finished (`nil` before the first).
    public var processedRevision: Int?
    /// Percent of the current processing.
    public var progress: Int
    public var failure: String?
    public var gaps: [RecordingGap]
    public var outputs: [RecordingOutput]
    public var tracks: [RecordingTrack]
    /// When the row was made (the list's order and cursor).
    public var createdAt: Instant

    public init(
        id: UUID, roomId: UUID, mentorId: UUID, state: RecordingState, auto: Bool, startedAt: Instant, stoppedAt: Instant?, revision: Int,
        processedRevision: Int?, progress: Int, failure: String?, gaps: [RecordingGap], outputs: [RecordingOutput], tracks: [RecordingTrack],
        createdAt: Instant
    ) {
        self.createdAt = createdAt
        self.id = id
        self.roomId = roomId
        self.mentorId = mentorId
        self.state = state
        self.auto = auto
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
        self.revision = revision
        self.processedRevision = processedRevision
        self.progress = progress
        self.failure = failure
        self.gaps = gaps
        self.outputs = outputs
        self.tracks = tracks
    }
}

/// What one PATCH of a track changed.
public struct TrackAppend: Sendable, Hashable {
    /// The track after the append.
    public var track: RecordingTrack
    /// The append completed the track, and with it every track of a finalizing recording: it moved to processing.
    public var recordingReady: Bool

    public init(track: RecordingTrack, recordingReady: Bool) {
        self.track = track
        self.recordingReady = recordingReady
    }
}

/// The durable side of recordings.
public protocol RecordingStore: Sendable {
    /// Starts a recording in `roomId`, or returns the one already running there (`started` false).
    func start(roomId: UUID, mentorId: UUID, startedBy: UUID?, auto: Bool, audit: AuditEntry?) async throws -> (recording: Recording, started: Bool)
    /// Stops the running recording of `roomId` (to finalizing, with a deadline `finalizeWithin` from now); moves it
    /// straight to processing when every track is complete. `nil` when none runs.
    func stop(roomId: UUID, finalizeWithin: Duration, audit: AuditEntry?) async throws -> Recording?
    func recording(id: UUID) async throws -> Recording?
    /// Recordings newest first, before the cursor: of room `roomId` if given, of rooms `participantId` takes part in
    /// (as mentor, mentee or seat) if given, else every one (admins).
    func recordings(roomId: UUID?, participantId: UUID?, before: (createdAt: Instant, id: UUID)?, limit: Int) async throws -> [Recording]
    /// Deletes the recording and its tracks (the caller deletes its objects).
    func delete(id: UUID, audit: AuditEntry?) async throws -> Bool

    /// A new track of a running recording, started at `startedAt` (server time). Throws ``CoreError/invalidState(_:)`` with `too_many_tracks` when the
    /// participant already has `maxPerParticipant` tracks in it (checked under the recording's row lock).
    func createTrack(
        recordingId: UUID, participantId: UUID, mime: String, length: Int64?, startedAt: Instant, clientOffsetMs: Int64?, expiresAt: Instant,
        maxPerParticipant: Int
    )
        async throws -> RecordingTrack
    /// The track and its recording.
    func track(id: UUID) async throws -> (track: RecordingTrack, recording: Recording)?
    /// Appends `count` bytes at `offset` under the track's row lock: `write` runs inside it (it writes the bytes to the
    /// staging file) and the new offset is stored only if it succeeds. Throws ``CoreError/invalidState(_:)`` with
    /// `offset_mismatch`, `length_mismatch` or `complete` when the request does not fit the track.
    func append(
        trackId: UUID, offset: Int64, count: Int64, declareLength: Int64?, expiresAt: Instant, write: @escaping @Sendable () async throws -> Void
    ) async throws -> TrackAppend
    /// Removes a track (tus termination).
    func deleteTrack(id: UUID) async throws

    /// Finalizing recordings past their deadline move to processing; returns them.
    func finalizeOverdue(now: Instant) async throws -> [Recording]
    /// Marks processing progress (percent).
    func setProgress(id: UUID, revision: Int, progress: Int) async throws
    /// Stores the outcome of processing `revision` (ignored when a newer revision exists or it was stored before).
    func finish(
        id: UUID, revision: Int, state: RecordingState, outputs: [RecordingOutput], gaps: [RecordingGap], durations: [UUID: Int64],
        failure: String?
    ) async throws -> Recording?
    /// Recordings created before `cutoff` (for the retention job), at most `limit`.
    func expired(before cutoff: Instant, limit: Int) async throws -> [Recording]
    /// Rooms whose recording still runs although their session ended before `cutoff`, at most `limit` (the janitor
    /// stops them: nobody is left to, when the worker that would have stopped it died).
    func overrunRooms(endedBefore cutoff: Instant, limit: Int) async throws -> [UUID]
}

/// What appending `count` bytes at `offset` does to a track (tus core + creation-defer-length), or why it cannot.
public struct TrackAppendPlan: Sendable, Hashable {
    /// The track's offset afterwards.
    public var newOffset: Int64
    /// The track's length afterwards (declared now or before; `nil` while still deferred).
    public var length: Int64?
    /// Every declared byte is there afterwards.
    public var completes: Bool

    /// Checks the request against the track. Throws ``CoreError/invalidState(_:)`` with `complete` (nothing more
    /// may be written), `offset_mismatch` (the client is not where the server is), `length_mismatch` (a second,
    /// different length), `too_large` (past the declared length) or `negative` (a negative count or length).
    public init(track: RecordingTrack, offset: Int64, count: Int64, declareLength: Int64?) throws {
        guard count >= 0, (declareLength ?? 0) >= 0 else { throw CoreError.invalidState("negative") }
        guard !track.isComplete else { throw CoreError.invalidState("complete") }
        guard offset == track.bytes else { throw CoreError.invalidState("offset_mismatch") }
        if let known = track.length, let declared = declareLength, known != declared { throw CoreError.invalidState("length_mismatch") }
        let length = track.length ?? declareLength
        let (end, overflow) = offset.addingReportingOverflow(count)
        guard !overflow else { throw CoreError.invalidState("too_large") }
        if let length, end > length { throw CoreError.invalidState("too_large") }
        if let declared = declareLength, declared < end { throw CoreError.invalidState("too_large") }
        newOffset = end
        self.length = length
        completes = length == end
    }
}

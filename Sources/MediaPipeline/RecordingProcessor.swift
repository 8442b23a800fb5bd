public import Foundation
public import Logging
public import MentorLinkCore

/// Turns a recording's complete tracks into its outputs: each track moves from upload staging into the object store
/// (`recordings/<id>/tracks/<trackId>.webm`), becomes an MP4 per participant, and all of them a composite (aligned
/// by the tracks' server-stamped starts) with HLS of it, under `recordings/<id>/outputs/r<revision>/`.
///
/// A participant who began an upload but has no readable track (it never completed) is taken from Janus's own
/// recording of the room when there is one (``JanusRecordings``, SFU rooms), placed by the `.mjr` headers' start times.
///
/// The outcome: `ready` when every participant who uploaded has a complete, clean track (or a clean one from Janus's
/// recording), `partial` when a track is missing, could not be read, or has a gap (its position is kept), `failed` with a reason when nothing could be made. Blocking media
/// work runs on the transcoder's own thread, never on the cooperative pool.
public struct RecordingProcessor: Sendable {
    let store: any RecordingStore
    let objects: any ObjectStore
    let bus: any EventBus
    let transcoder: Transcoder
    /// The staging file of a track (where the tus endpoint wrote its bytes).
    let stagedFile: @Sendable (UUID) -> String
    /// A scratch directory (one subdirectory per job, removed afterwards).
    let workRoot: String
    /// Janus's recordings, the fallback for participants whose upload never completed; `nil`: none.
    let janus: JanusRecordings?
    let logger: Logger

    /// Creates the processor.
    public init(
        store: any RecordingStore, objects: any ObjectStore, bus: any EventBus, transcoder: Transcoder,
        stagedFile: @escaping @Sendable (UUID) -> String,
        workRoot: String, janus: JanusRecordings? = nil, logger: Logger
    ) {
        self.janus = janus
        self.store = store
        self.objects = objects
        self.bus = bus
        self.transcoder = transcoder
        self.stagedFile = stagedFile
        self.workRoot = workRoot
        self.logger = logger
    }

    /// Processes `revision` of recording `id`; does nothing (returns `nil`) when the recording is gone, not
    /// processing, or at another revision (a redelivered or superseded job).
    @discardableResult
    public func process(id: UUID, revision: Int) async throws -> Recording? {
        guard let recording = try await store.recording(id: id), recording.state == .processing, recording.revision == revision else { return nil }
        let work = "\(workRoot)/\(id.uuidString.lowercased())-r\(revision)"
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let base = ObjectKey.recording(id.uuidString.lowercased())
        let complete = recording.tracks.filter(\.isComplete)
        var problems: [String] = []

        // Each complete track: into the object store (once), then its MP4.
        var inputs: [(startedAt: Instant, path: String)] = []
        var outputs: [RecordingOutput] = []
        var gaps: [RecordingGap] = []
        var durations: [UUID: Int64] = [:]
        let outputBase = "\(base)outputs/r\(revision)/"
        for (index, track) in complete.enumerated() {
            let trackKey = "\(base)tracks/\(track.id.uuidString.lowercased()).webm"
            let local = "\(work)/\(track.id.uuidString.lowercased()).webm"
            do { try await ingest(track, key: trackKey, to: local) } catch let error as ObjectStoreError {
                // The track's bytes are nowhere (an empty track, another host's staging): a missing track, not a
                // job that fails for ever. An unreachable store (unavailable) is retried by the consumer.
                if case .unavailable = error { throw error }
                problems.append("track \(track.id.uuidString.lowercased()): its bytes are missing")
                continue
            }
            let mp4 = "\(work)/\(track.id.uuidString.lowercased()).mp4"
            do {
                let report = try await transcoder.offloaded { try $0.transcodeTrack(input: local, output: mp4) }
                // Keyed by track: a participant who reloaded has several tracks, each its own MP4.
                let key = "\(outputBase)track-\(track.id.uuidString.lowercased()).mp4"
                try await objects.put(key: key, fileAt: mp4, contentType: "video/mp4")
                outputs.append(RecordingOutput(kind: .mp4, key: key, durationMs: report.durationMs, participantId: track.participantId))
                durations[track.id] = report.durationMs
                gaps += report.gaps.map { RecordingGap(trackId: track.id, startMs: $0.startMs, lengthMs: $0.lengthMs) }
                inputs.append((track.startedAt, local))
            } catch let error as MediaError {
                problems.append("track \(track.id.uuidString.lowercased()): \(error.message)")
                logger.warning(
                    "media.track_failed",
                    metadata: ["recording": .string(id.uuidString), "track": .string(track.id.uuidString), "error": .string("\(error)")])
            }
            await progress(recording, percent: 10 + 50 * (index + 1) / max(1, complete.count))
        }

        // A participant who began an upload but has no readable track: Janus's recording of them (SFU rooms), else a
        // missing track.
        let covered = Set(outputs.compactMap(\.participantId))
        var incomplete = recording.tracks.filter { !$0.isComplete }.count
        for participant in Set(recording.tracks.map(\.participantId)).subtracting(covered).sorted(by: { $0.uuidString < $1.uuidString }) {
            let own = recording.tracks.filter { $0.participantId == participant }
            guard let track = own.first, let fallback = try await fromJanus(recording, participant: participant, work: work, outputBase: outputBase)
            else { continue }
            outputs += fallback.map(\.output)
            inputs += fallback.map { ($0.startedAt, $0.path) }
            gaps += fallback.flatMap { made in made.gaps.map { RecordingGap(trackId: track.id, startMs: $0.startMs, lengthMs: $0.lengthMs) } }
            incomplete -= own.filter { !$0.isComplete }.count
        }
        if incomplete > 0 { problems.insert("\(incomplete) track(s) never completed", at: 0) }

        // The composite of every readable track, aligned on the server's start stamps, and its HLS.
        if let first = inputs.map(\.startedAt).min() {
            let mp4 = "\(work)/composite.mp4"
            let hls = "\(work)/hls"
            let placed = inputs.map { input in
                (path: input.path, startOffsetMs: Int64(((input.startedAt.date.timeIntervalSince(first.date)) * 1000).rounded()))
            }
            do {
                let report = try await transcoder.offloaded { try $0.composite(inputs: placed, mp4: mp4, hlsDirectory: hls) }
                let compositeKey = "\(outputBase)composite.mp4"
                try await objects.put(key: compositeKey, fileAt: mp4, contentType: "video/mp4")
                outputs.append(RecordingOutput(kind: .composite, key: compositeKey, durationMs: report.durationMs))
                for name in try FileManager.default.contentsOfDirectory(atPath: hls).sorted() {
                    let type = name.hasSuffix(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp4"
                    try await objects.put(key: "\(outputBase)hls/\(name)", fileAt: "\(hls)/\(name)", contentType: type)
                }
                outputs.append(RecordingOutput(kind: .hls, key: "\(outputBase)hls/index.m3u8", durationMs: report.durationMs))
            } catch let error as MediaError {
                problems.append("composite: \(error.message)")
                logger.warning("media.composite_failed", metadata: ["recording": .string(id.uuidString), "error": .string("\(error)")])
            }
        }

        let state: RecordingState
        let failure: String?
        if outputs.isEmpty {
            state = .failed
            failure = problems.isEmpty ? "no tracks were uploaded" : problems.joined(separator: "; ")
        } else if !problems.isEmpty || !gaps.isEmpty {
            state = .partial
            failure = problems.isEmpty ? nil : problems.joined(separator: "; ")
        } else {
            state = .ready
            failure = nil
        }
        let finished = try await store.finish(
            id: id, revision: revision, state: state, outputs: outputs, gaps: gaps, durations: durations, failure: failure)
        if let finished { await push(finished, type: "recording.ready") }
        logger.info(
            "media.processed",
            metadata: ["recording": .string(id.uuidString), "revision": .stringConvertible(revision), "state": .string(state.rawValue)])
        return finished
    }

    /// One MP4 made from Janus's recording of a participant.
    struct Fallback {
        var output: RecordingOutput
        var startedAt: Instant
        var path: String
        var gaps: [MediaGap]
    }

    /// The participant's MP4s from Janus's recording of them within the recording's window (one per segment: a rejoin
    /// begins another), `nil` when there is none or it cannot be read (logged). An unreachable object store throws,
    /// so the job is retried, as for uploads.
    func fromJanus(_ recording: Recording, participant: UUID, work: String, outputBase: String) async throws -> [Fallback]? {
        guard let janus else { return nil }
        let id = participant.uuidString.lowercased()
        // Janus creates a room's files when its recording is switched on, just after the recording began (1 s for
        // the clocks of the processes).
        let from = Instant(recording.startedAt.date.addingTimeInterval(-1))
        let until = recording.stoppedAt ?? Instant.now
        let made: [(JanusRecordings.Track, TrackReport, String)]
        do {
            made = try await transcoder.offloaded { transcoder in
                try janus.tracks(
                    room: recording.roomId.uuidString.lowercased(), participant: id, from: from, until: until, transcoder: transcoder, work: work
                )
                .enumerated().map { index, track in
                    let mp4 = "\(work)/janus-\(id)-\(index).mp4"
                    return (track, try transcoder.transcodeTrack(input: track.path, output: mp4), mp4)
                }
            }
        } catch {
            logger.warning(
                "media.janus_fallback_failed",
                metadata: ["recording": .string(recording.id.uuidString), "participant": .string(id), "error": .string("\(error)")])
            return nil
        }
        guard !made.isEmpty else { return nil }
        var fallbacks: [Fallback] = []
        for (index, (track, report, mp4)) in made.enumerated() {
            let key = "\(outputBase)janus-\(id)-\(index).mp4"
            try await objects.put(key: key, fileAt: mp4, contentType: "video/mp4")
            fallbacks.append(
                Fallback(
                    output: RecordingOutput(kind: .mp4, key: key, durationMs: report.durationMs, participantId: participant),
                    startedAt: track.startedAt,
                    path: track.path, gaps: report.gaps))
        }
        logger.info(
            "media.janus_fallback",
            metadata: ["recording": .string(recording.id.uuidString), "participant": .string(id), "segments": .stringConvertible(made.count)])
        return fallbacks
    }

    /// The track's bytes at `local`: from staging (moved into the object store first, then unstaged), or from the
    /// object store when an earlier revision moved them already.
    func ingest(_ track: RecordingTrack, key: String, to local: String) async throws {
        let staged = stagedFile(track.id)
        if FileManager.default.fileExists(atPath: staged) {
            try await objects.put(key: key, fileAt: staged, contentType: track.mime)
            try FileManager.default.copyItem(atPath: staged, toPath: local)
            try? FileManager.default.removeItem(atPath: staged)
        } else {
            try await objects.download(key: key, to: local)
        }
    }

    func progress(_ recording: Recording, percent: Int) async {
        try? await store.setProgress(id: recording.id, revision: recording.revision, progress: percent)
        await push(recording, type: "recording.progress", progress: percent)
    }

    func push(_ recording: Recording, type: String, progress: Int? = nil) async {
        var event = #"{"type":"\#(type)","recordingId":"\#(recording.id.uuidString.lowercased())","state":"\#(recording.state.rawValue)""#
        if let progress { event += #","progress":\#(progress)"# }
        event += "}"
        do { try await bus.publish(channel: Channels.room(recording.roomId), event: Array(event.utf8)) } catch {
            logger.warning("media.push_failed", metadata: ["error": .string("\(error)")])
        }
    }
}

import Foundation
import JSONRPC
import Logging
import MediaPipeline
import MentorLinkCore
import MentorLinkTesting
import PostgresAdapter
import RecordingService
import Testing

/// The media processor on a recording whose mentee began an upload that never completed: with Janus's recording
/// of the mentee (the real `.mjr` fixtures of MediaTests), the recording has the mentee's MP4 and a composite made
/// from it, with the recording's own gaps and no missing track; without, nothing could be made.
@Suite(
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/janus-pp-rec"), "janus-pp-rec is not installed (janus-tools)"),
    .timeLimit(.minutes(2)))
struct JanusFallbackProcessingTests {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MediaTests/Fixtures/\(name)").path
    }

    /// A stopped recording whose mentee's track has one byte of an unknown length, moved to processing; the
    /// recording, the mentee and a scratch directory.
    static func abandoned(_ h: RecordingHarness) async throws -> (Recording, BookingHarness.User, String) {
        let mentor = try await h.user(.mentor)
        let mentee = try await h.user(.mentee)
        let room = try await h.room(mentor: mentor, mentee: mentee)
        let recording = try await h.recording(room, mentor: mentor)
        let track = try #require(await h.create(recording.id, as: mentee).uploadId)
        #expect(await h.patch(track, offset: 0, [1], as: mentee).status == 204)
        _ = try await h.call("recordings.stop", #"{"roomId":"\#(room)"}"#, as: mentor)
        let processing = try #require(try await h.store.finalizeOverdue(now: Instant.now.adding(minutes: 60)).first { $0.id == recording.id })
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ml-fallback-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: "\(scratch)/janus", withIntermediateDirectories: true)
        return (processing, mentee, scratch)
    }

    static func processor(_ h: RecordingHarness, scratch: String, janus: JanusRecordings?) -> RecordingProcessor {
        RecordingProcessor(
            store: h.store, objects: h.objects, bus: InMemoryEventBus(), transcoder: Transcoder(logger: TestEnvironment.logger),
            stagedFile: { h.staging.path($0) }, workRoot: "\(scratch)/work", janus: janus, logger: TestEnvironment.logger)
    }

    @Test func janussRecordingStandsInForAnUploadThatNeverCompleted() async throws {
        try await RecordingHarness.with { h in
            let (recording, mentee, scratch) = try await Self.abandoned(h)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            // Janus's files of the mentee in this room, created while it recorded.
            let created = Int64(recording.startedAt.date.timeIntervalSince1970 * 1e6)
            let prefix = "\(scratch)/janus/videoroom-\(recording.roomId.uuidString.lowercased())-user-\(mentee.id.uuidString.lowercased())-"
            try FileManager.default.copyItem(atPath: Self.fixture("janus-video.mjr"), toPath: "\(prefix)\(created)-video-1.mjr")
            try FileManager.default.copyItem(atPath: Self.fixture("janus-audio.mjr"), toPath: "\(prefix)\(created)-audio-0.mjr")
            // Someone else's files in the room (no upload of theirs): never used.
            let stranger = UUID().uuidString.lowercased()
            try FileManager.default.copyItem(
                atPath: Self.fixture("janus-video.mjr"),
                toPath: "\(scratch)/janus/videoroom-\(recording.roomId.uuidString.lowercased())-user-\(stranger)-\(created)-video-1.mjr")

            let done = try #require(
                try await Self.processor(h, scratch: scratch, janus: JanusRecordings(directory: "\(scratch)/janus"))
                    .process(id: recording.id, revision: recording.revision))
            // The fixtures' audio pauses for 1.4 s at 7.2 s (the cut): a gap of the mentee's track, so partial, with no
            // failure (the mentee's media is there: the upload that never completed is not counted as missing).
            #expect(done.state == .partial && done.failure == nil, "\(done.state) \(done.failure ?? "")")
            let menteeTrack = try #require(recording.tracks.first { $0.participantId == mentee.id })
            #expect(!done.gaps.isEmpty && done.gaps.allSatisfy { $0.trackId == menteeTrack.id }, "\(done.gaps)")
            let mp4s = done.outputs.filter { $0.kind == .mp4 }
            #expect(mp4s.count == 1 && mp4s.first?.participantId == mentee.id && mp4s.first?.key.contains("janus-") == true)
            #expect((mp4s.first?.durationMs ?? 0) > 5_000)
            #expect(done.outputs.contains { $0.kind == .composite } && done.outputs.contains { $0.kind == .hls })
        }
    }

    @Test func withoutJanusTheAbandonedUploadLeavesNothing() async throws {
        try await RecordingHarness.with { h in
            let (recording, _, scratch) = try await Self.abandoned(h)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let done = try #require(try await Self.processor(h, scratch: scratch, janus: nil).process(id: recording.id, revision: recording.revision))
            #expect(done.state == .failed)
            #expect(done.failure?.contains("1 track(s) never completed") == true, "\(done.failure ?? "")")
        }
    }
}

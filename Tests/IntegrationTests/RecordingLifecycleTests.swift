import Foundation
import JSONRPC
import Logging
import MediaPipeline
import MentorLinkCore
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import RecordingService
import Testing

/// Recordings on PostgreSQL: a recording that outlives its session is stopped by the janitor; deleting a recording
/// (by its mentor, or by the retention) removes its tracks' staging files, and the janitor sweeps the staging files
/// nobody can use; a participant's tracks per recording and a track's length are capped with stable tus reasons.
@Suite(.timeLimit(.minutes(2))) struct RecordingLifecycleTests {
    func janitor(_ h: RecordingHarness, retentionDays: Int = 90) -> RecordingJanitor {
        RecordingJanitor(
            store: h.store, objects: h.objects, retention: .seconds(86_400 * retentionDays), stagingRoot: h.staging.root,
            logger: TestEnvironment.logger)
    }

    @Test func aRecordingStillRunningWellAfterItsSessionEndedIsStopped() async throws {
        try await RecordingHarness.with { h in
            let mentor = try await h.user(.mentor)
            let mentee = try await h.user(.mentee)
            let over = try await h.room(mentor: mentor, mentee: mentee, fromMinutes: -180, toMinutes: -120)
            let justOver = try await h.room(mentor: mentor, mentee: mentee, fromMinutes: -70, toMinutes: -10)
            let running = try await h.room(mentor: mentor, mentee: mentee)
            let forgotten = try await h.recording(over, mentor: mentor)
            let recent = try await h.recording(justOver, mentor: mentor)
            let live = try await h.recording(running, mentor: mentor)

            await janitor(h).sweep(now: .now)
            let stopped = try #require(try await h.store.recording(id: forgotten.id))
            #expect(stopped.state == .processing && stopped.stoppedAt != nil, "no tracks: straight to processing")
            #expect(try await h.store.recording(id: recent.id)?.state == .recording, "the room is still open (30 minutes after the end)")
            #expect(try await h.store.recording(id: live.id)?.state == .recording)
            #expect(
                try await h.count(
                    "SELECT count(*)::int FROM outbox WHERE event_type = 'recording.stopped' AND lower(aggregate_id) = \(forgotten.id.uuidString.lowercased())"
                )
                    == 1)
            #expect(try await h.count("SELECT count(*)::int FROM audit_entries WHERE action = 'recording.stop'") == 1)
            // A second pass finds nothing more to stop.
            await janitor(h).sweep(now: .now)
            #expect(try await h.count("SELECT count(*)::int FROM outbox WHERE event_type = 'recording.stopped'") == 1)
        }
    }

    @Test func deletingARecordingRemovesItsTracksStagingFiles() async throws {
        try await RecordingHarness.with { h in
            let mentor = try await h.user(.mentor)
            let mentee = try await h.user(.mentee)
            let room = try await h.room(mentor: mentor, mentee: mentee)
            let recording = try await h.recording(room, mentor: mentor)
            let mine = try #require(await h.create(recording.id, as: mentor).uploadId)
            let theirs = try #require(await h.create(recording.id, as: mentee).uploadId)
            #expect(await h.patch(mine, offset: 0, [1, 2, 3], as: mentor).status == 204)
            #expect(await h.patch(theirs, offset: 0, [4, 5], as: mentee).status == 204)
            let files = try [mine, theirs].map { h.staging.path(try #require(UUID(uuidString: $0))) }
            #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) })

            // While it records, bytes are still coming: the delete is refused and changes nothing.
            let early = try await h.call("recordings.delete", #"{"recordingId":"\#(recording.id)"}"#, as: mentor)
            #expect(early.reason == "invalid_state", "\(String(describing: early.result))")
            #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) })
            _ = try await h.call("recordings.stop", #"{"roomId":"\#(room)"}"#, as: mentor)
            let deleted = try await h.call("recordings.delete", #"{"recordingId":"\#(recording.id)"}"#, as: mentor)
            #expect(deleted.result?["deleted"] as? Bool == true)
            #expect(files.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "no staged bytes outlive their recording")
            // A PATCH past 0 of a track whose file is gone is refused: no file of zeros where its start was.
            #expect(throws: (any Error).self) { try h.staging.write(UUID(), offset: 3, bytes: [1]) }
        }
    }

    @Test func theRetentionAndTheStagingSweepRemoveWhatNobodyCanUse() async throws {
        try await RecordingHarness.with { h in
            let mentor = try await h.user(.mentor)
            let mentee = try await h.user(.mentee)
            let old = try await h.recording(try await h.room(mentor: mentor, mentee: mentee, fromMinutes: -300, toMinutes: -240), mentor: mentor)
            let current = try await h.recording(try await h.room(mentor: mentor, mentee: mentee), mentor: mentor)
            let oldTrack = try #require(await h.create(old.id, as: mentor).uploadId)
            let live = try #require(await h.create(current.id, as: mentor).uploadId)
            let abandoned = try #require(await h.create(current.id, as: mentee).uploadId)
            let done = try #require(await h.create(current.id, as: mentee, length: 2).uploadId)
            for (id, user) in [(oldTrack, mentor), (live, mentor), (abandoned, mentee)] {
                #expect(await h.patch(id, offset: 0, [9], as: user).status == 204)
            }
            #expect(await h.patch(done, offset: 0, [1, 2], as: mentee).status == 204)
            let orphan = UUID()
            try h.staging.write(orphan, offset: 0, bytes: [7])
            func staged(_ id: String) -> Bool { FileManager.default.fileExists(atPath: h.staging.path(UUID(uuidString: id)!)) }

            // The old recording is past the retention; the abandoned track is past its tus expiry.
            try await h.execute(
                "UPDATE recordings SET state = 'failed', stopped_at = now(), created_at = now() - interval '100 days' WHERE id = \(old.id)")
            try await h.execute("UPDATE recording_tracks SET expires_at = now() - interval '1 minute' WHERE id = \(UUID(uuidString: abandoned)!)")
            await janitor(h).sweep(now: .now)

            #expect(try await h.store.recording(id: old.id) == nil)
            #expect(!staged(oldTrack), "the retention removes a deleted recording's staged bytes")
            #expect(!FileManager.default.fileExists(atPath: h.staging.path(orphan)), "a file of no track is swept")
            #expect(!staged(abandoned), "an incomplete track past its expiry can never resume: swept")
            #expect(staged(live), "a track that may still resume keeps its bytes")
            #expect(staged(done), "a complete track keeps its bytes for the media consumer")
        }
    }

    /// Janus's `.mjr` files go with the retention, or an hour after their room has no recording left; files of a
    /// room with a recording, recent files and files still being written stay.
    @Test func janusRecordingsAreSweptWhenNobodyCanUseThem() async throws {
        try await RecordingHarness.with { h in
            let mentor = try await h.user(.mentor)
            let mentee = try await h.user(.mentee)
            let recorded = try await h.room(mentor: mentor, mentee: mentee)
            _ = try await h.recording(recorded, mentor: mentor)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ml-janus-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let user = mentee.id.uuidString.lowercased()
            func file(_ room: UUID, hoursAgo: Double, suffix: String = ".mjr") throws -> String {
                let path = "\(directory)/videoroom-\(room.uuidString.lowercased())-user-\(user)-\(Int.random(in: 1...1_000_000_000))-video-0\(suffix)"
                FileManager.default.createFile(atPath: path, contents: Data([1]))
                try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-hoursAgo * 3600)], ofItemAtPath: path)
                return path
            }
            let kept = try file(recorded, hoursAgo: 30)
            let expired = try file(recorded, hoursAgo: 24 * 91)
            let orphan = try file(UUID(), hoursAgo: 2)
            let recentOrphan = try file(UUID(), hoursAgo: 0.5)
            let writing = try file(UUID(), hoursAgo: 2, suffix: ".mjr.tmp")
            let janitor = RecordingJanitor(
                store: h.store, objects: h.objects, retention: .seconds(86_400 * 90), janusRecordings: directory, logger: TestEnvironment.logger)
            await janitor.sweep(now: .now)
            let exists = { (path: String) in FileManager.default.fileExists(atPath: path) }
            #expect(exists(kept), "a room with a recording keeps its files")
            #expect(!exists(expired), "past the retention")
            #expect(!exists(orphan), "a room without a recording, an hour on")
            #expect(exists(recentOrphan) && exists(writing))
        }
    }

    /// A track's start is the server's stamp less the time the client says passed since it began recording (its
    /// own clock's offset cancels out), so a creation delayed by a network cut still places the track where it began;
    /// a client's claim never places a track before its recording began, and a start "in the future" is ignored.
    @Test func aLateCreationIsPlacedWhereItsTrackBegan() async throws {
        try await RecordingHarness.with { h in
            let mentor = try await h.user(.mentor)
            let mentee = try await h.user(.mentee)
            let recording = try await h.recording(try await h.room(mentor: mentor, mentee: mentee), mentor: mentor)
            try await Task.sleep(for: .seconds(5))
            // The client's clock is an hour ahead; its track began 4 s before it created the upload.
            let skewed = Int64(Date().timeIntervalSince1970 * 1000) + 3_600_000
            // The server stamps the creation somewhere between `before` and `after` (a loaded machine is slow).
            func start(_ extra: [String: String]) async throws -> (at: Date, before: Date, after: Date) {
                let before = Date()
                let id = try #require(await h.create(recording.id, as: mentee, extra: extra).uploadId.flatMap(UUID.init(uuidString:)))
                let after = Date()
                let track = try #require(try await h.store.track(id: id))
                return (track.track.startedAt.date, before, after)
            }
            func within(_ t: Date, _ from: Date, _ to: Date) -> Bool { t >= from.addingTimeInterval(-0.05) && t <= to.addingTimeInterval(0.05) }
            let late = try await start(["clientTime": String(skewed), "startedAt": String(skewed - 4_000)])
            #expect(within(late.at, late.before.addingTimeInterval(-4), late.after.addingTimeInterval(-4)), "placed 4 s back")
            let lying = try await start(["clientTime": String(skewed), "startedAt": String(skewed - 600_000)])
            #expect(abs(lying.at.timeIntervalSince(recording.startedAt.date)) < 0.05, "never before the recording began")
            let future = try await start(["clientTime": String(skewed), "startedAt": String(skewed + 10_000)])
            #expect(within(future.at, future.before, future.after), "a start after the stamp is the stamp")
            let none = try await start([:])
            #expect(within(none.at, none.before, none.after), "without the client's times: the stamp")
        }
    }

    @Test func aParticipantsTracksAndATracksLengthAreCapped() async throws {
        try await RecordingHarness.with(configuration: RecordingConfiguration(maxTrackBytes: 1000, maxTracksPerParticipant: 3)) { h in
            let mentor = try await h.user(.mentor)
            let mentee = try await h.user(.mentee)
            let recording = try await h.recording(try await h.room(mentor: mentor, mentee: mentee), mentor: mentor)
            var tracks: [String] = []
            for _ in 0..<3 { tracks.append(try #require(await h.create(recording.id, as: mentee).uploadId)) }
            let refused = await h.create(recording.id, as: mentee)
            #expect(refused.status == 403 && refused.reason == "too_many_tracks" && refused.headers["Content-Type"] == "application/json")
            #expect(await h.create(recording.id, as: mentor).status == 201, "the cap is per participant")
            // A terminated track frees its place.
            #expect(await h.tus("DELETE", tracks[0], as: mentee).status == 204)
            #expect(await h.create(recording.id, as: mentee).status == 201)

            // The declared length, at creation or later, and a deferred length's growth, stop at maxTrackBytes: 413.
            #expect(await h.tus("DELETE", tracks[1], as: mentee).status == 204)
            let tooLong = await h.create(recording.id, as: mentee, length: 1001)
            #expect(tooLong.status == 413 && tooLong.reason == "too_large")
            let declaredLate = await h.patch(tracks[2], offset: 0, [1], length: 1001, as: mentee)
            #expect(declaredLate.status == 413 && declaredLate.reason == "too_large")
            #expect(await h.patch(tracks[2], offset: 0, Array(repeating: 0, count: 1000), as: mentee).status == 204)
            let grown = await h.patch(tracks[2], offset: 1000, [1], as: mentee)
            #expect(grown.status == 413 && grown.reason == "too_large")
        }
    }
}

import Foundation
import MediaPipeline
import MentorLinkCore
import Testing

/// Which of Janus's `.mjr` files belong to a participant's recording: the room's, the participant's, audio and
/// video, created within the recording's window.
@Suite struct JanusRecordingsTests {
    @Test func filesAreTheParticipantsWithinTheWindow() throws {
        let directory = MediaFixtures.output("janus-recordings")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let room = UUID().uuidString.lowercased()
        let alice = UUID().uuidString.lowercased()
        let bob = UUID().uuidString.lowercased()
        let start = try #require(Instant(iso8601: "2027-05-03T06:00:00Z"))
        let micros = { (seconds: Double) in Int64((start.date.timeIntervalSince1970 + seconds) * 1e6) }
        let names = [
            "videoroom-\(room)-user-\(alice)-\(micros(1))-video-0.mjr", "videoroom-\(room)-user-\(alice)-\(micros(1.2))-audio-1.mjr",
            "videoroom-\(room)-user-\(alice)-\(micros(30))-video-0.mjr",  // rejoined
            "videoroom-\(room)-user-\(alice)-\(micros(31))-data-2.mjr",  // a data channel
            "videoroom-\(room)-user-\(alice)-\(micros(-600))-video-0.mjr",  // an earlier recording
            "videoroom-\(room)-user-\(bob)-\(micros(2))-video-0.mjr", "videoroom-other-user-\(alice)-\(micros(2))-video-0.mjr",
            "videoroom-\(room)-user-\(alice)-notanumber-video-0.mjr", "videoroom-\(room)-user-\(alice)-\(micros(3))-video-0.mjr.tmp",
        ]
        for name in names { FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: Data()) }
        let recordings = JanusRecordings(directory: directory)
        let files = recordings.files(room: room, participant: alice, from: start, until: start.adding(minutes: 10))
        #expect(files.map(\.kind) == [.video, .audio, .video])
        #expect(files.map(\.createdAtMicroseconds) == [micros(1), micros(1.2), micros(30)])
        #expect(recordings.files(room: room, participant: "../etc", from: start, until: start.adding(minutes: 10)).isEmpty)
        #expect(JanusRecordings(directory: "\(directory)/missing").files(room: room, participant: alice, from: start, until: start).isEmpty)
        // Not a recording janus-pp-rec can read: an error, not a crash.
        #expect(throws: MediaError.self) { try recordings.firstPacketMicroseconds(files[0].path) }
    }
}

/// A real participant's Janus recording (a 320x180 VP8 camera and Opus, cut to the first seconds of each `.mjr`)
/// made into one track: the headers' first-packet times place the streams, janus-pp-rec extracts them, the mux
/// joins them, and the transcoder reads the result like an upload.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/janus-pp-rec"), "janus-pp-rec is not installed (janus-tools)"))
struct JanusFallbackTests {
    /// The fixtures' headers: when each stream's recorder was created ("s") and wrote its first packet ("u"), µs.
    static let videoCreated: Int64 = 1_796_243_891_961_649
    static let videoFirst: Int64 = 1_796_243_893_891_138
    static let audioCreated: Int64 = 1_796_243_891_960_852
    static let audioFirst: Int64 = 1_796_243_893_831_522

    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    /// A Janus recordings directory holding the fixtures under the participant's names; the room, participant, dir.
    static func directory() throws -> (room: String, participant: String, path: String) {
        let path = MediaFixtures.output("janus-rec")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let room = UUID().uuidString.lowercased()
        let participant = UUID().uuidString.lowercased()
        let prefix = "\(path)/videoroom-\(room)-user-\(participant)-"
        try FileManager.default.copyItem(atPath: fixture("janus-video.mjr"), toPath: "\(prefix)\(videoCreated)-video-1.mjr")
        try FileManager.default.copyItem(atPath: fixture("janus-audio.mjr"), toPath: "\(prefix)\(audioCreated)-audio-0.mjr")
        return (room, participant, path)
    }

    static func instant(_ micros: Int64) -> Instant { Instant(Date(timeIntervalSince1970: Double(micros) / 1e6)) }

    @Test func aParticipantsRecordingBecomesOneTrackPlacedByItsHeaders() throws {
        let (room, participant, path) = try Self.directory()
        let janus = JanusRecordings(directory: path)
        #expect(
            try janus.firstPacketMicroseconds("\(path)/videoroom-\(room)-user-\(participant)-\(Self.videoCreated)-video-1.mjr") == Self.videoFirst)
        let work = MediaFixtures.output("janus-work")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let from = Self.instant(Self.audioCreated - 1_000_000)
        let tracks = try janus.tracks(
            room: room, participant: participant, from: from, until: from.adding(minutes: 10), transcoder: testTranscoder, work: work)
        let track = try #require(tracks.first)
        #expect(tracks.count == 1)
        // The audio's first packet came first; the track begins there (to the millisecond).
        #expect(abs(track.startedAt.date.timeIntervalSince1970 - Double(Self.audioFirst) / 1e6) < 0.001)
        let probe = try testTranscoder.probe(track.path)
        #expect(probe.hasVideo && probe.hasAudio && probe.width == 320 && probe.height == 180)
        // The video starts 60 ms after the audio, as the headers say.
        let firstVideo = try #require(try MediaInspection.packetTimes(track.path, stream: "v:0").first)
        let firstAudio = try #require(try MediaInspection.packetTimes(track.path, stream: "a:0").first)
        #expect(abs((firstVideo - firstAudio) - Double(Self.videoFirst - Self.audioFirst) / 1e6) < 0.02, "video \(firstVideo), audio \(firstAudio)")
        let mp4 = MediaFixtures.output("janus.mp4")
        let report = try testTranscoder.transcodeTrack(input: track.path, output: mp4)
        #expect(report.hasVideo && report.hasAudio && report.durationMs > 5_000)
    }

    @Test func theTrackEndsWhenTheRecordingStopped() throws {
        let (room, participant, path) = try Self.directory()
        let work = MediaFixtures.output("janus-work-cut")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let from = Self.instant(Self.audioCreated - 1_000_000)
        let until = Self.instant(Self.audioFirst + 3_000_000)
        let track = try #require(
            try JanusRecordings(directory: path).tracks(
                room: room, participant: participant, from: from, until: until, transcoder: testTranscoder, work: work
            ).first)
        let probe = try testTranscoder.probe(track.path)
        #expect(probe.durationMs <= 3_100 && probe.durationMs >= 2_800, "\(probe.durationMs)")
        // Outside the window (a later recording of the same room): nothing.
        #expect(
            try JanusRecordings(directory: path).tracks(
                room: room, participant: participant, from: until, until: until.adding(minutes: 5), transcoder: testTranscoder, work: work
            ).isEmpty)
    }
}

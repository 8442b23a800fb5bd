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

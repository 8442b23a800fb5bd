import CMedia
import Foundation
import MediaPipeline
import Testing

/// Janus records each stream of a participant into its own file; the mux makes them one track (stream copy, no
/// decoding), each stream at its offset, which the transcoder then reads like an upload.
@Suite struct MuxTests {
    @Test func aVideoAndAnAudioFileBecomeOneTrackEachAtItsOffset() throws {
        let video = try MediaFixtures.videoOnly.get()  // 5 s of VP8
        let audio = try MediaFixtures.audioOnly.get()  // 5 s of Opus
        let output = MediaFixtures.output("muxed.mkv")
        // The audio began 700 ms after the video (Janus's .mjr headers say when each stream started).
        let muxed = try testTranscoder.mux(video: (video, 0), audio: (audio, 700), output: output)
        #expect(muxed.hasVideo && muxed.hasAudio && muxed.width == 320 && muxed.height == 240)
        #expect(muxed.videoPackets == 150)
        #expect(muxed.recoveredErrors == 0)
        #expect(abs(muxed.durationMs - 5_700) <= 60, "\(muxed.durationMs)")
        let probe = try testTranscoder.probe(output)
        #expect(probe.hasVideo && probe.hasAudio && probe.videoPackets == 150)
        let firstAudio = try #require(try MediaInspection.packetTimes(output, stream: "a:0").first)
        let firstVideo = try #require(try MediaInspection.packetTimes(output, stream: "v:0").first)
        #expect(abs(firstAudio - firstVideo - 0.7) < 0.03, "audio \(firstAudio) s, video \(firstVideo) s")
        // The transcoder reads it like an upload.
        let mp4 = MediaFixtures.output("muxed.mp4")
        let track = try testTranscoder.transcodeTrack(input: output, output: mp4)
        #expect(abs(track.durationMs - 5_700) <= 150, "\(track.durationMs)")
    }

    @Test func oneStreamAloneIsATrackToo() throws {
        let output = MediaFixtures.output("audio-muxed.mkv")
        let muxed = try testTranscoder.mux(video: nil, audio: (try MediaFixtures.audioOnly.get(), 0), output: output)
        #expect(!muxed.hasVideo && muxed.hasAudio)
    }

    @Test func badInputsAreErrorsAndLeaveNothing() throws {
        let output = MediaFixtures.output("bad-mux.mkv")
        #expect(throws: MediaError.self) { try testTranscoder.mux(video: nil, audio: nil, output: output) }
        #expect(throws: MediaError.self) { try testTranscoder.mux(video: (try MediaFixtures.garbage.get(), 0), audio: nil, output: output) }
        // An audio file where the video should be: no video stream in it.
        #expect(throws: MediaError.self) { try testTranscoder.mux(video: (try MediaFixtures.audioOnly.get(), 0), audio: nil, output: output) }
        #expect(throws: MediaError.self) { try testTranscoder.mux(video: (try MediaFixtures.videoOnly.get(), -5), audio: nil, output: output) }
        #expect(throws: MediaError.self) {
            try testTranscoder.mux(video: (try MediaFixtures.videoOnly.get(), 0), audio: nil, output: output, untilMs: -1)
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// H.264 with B-frames in Matroska: its first packets have no dts and its pts are out of decode order.
    @Test func bFramesAreAllKeptAndTheFirstPresentedFrameIsAtTheOffset() throws {
        let video = try Self.bFrames.get()
        let order = try Self.packetTimesInFileOrder(video, stream: "v:0")
        #expect(order != order.sorted(), "the fixture has B-frames")
        let output = MediaFixtures.output("b-frames-muxed.mkv")
        let muxed = try testTranscoder.mux(video: (video, 400), audio: (try MediaFixtures.audioOnly.get(), 0), output: output)
        #expect(muxed.hasVideo && muxed.hasAudio && muxed.videoPackets == 150 && muxed.recoveredErrors == 0)
        #expect(try Self.decodedFrames(output) == 150)
        let firstVideo = try #require(try MediaInspection.packetTimes(output, stream: "v:0").first)
        #expect(abs(firstVideo - 0.4) <= 1.0 / 30, "first presented frame at \(firstVideo) s")
        #expect(abs(muxed.durationMs - 5_400) <= 60, "\(muxed.durationMs)")
        // Cut at 2.5 s: no frame presented later, and every frame kept still decodes (none lost a reference).
        let cut = MediaFixtures.output("b-frames-cut.mkv")
        let trimmed = try testTranscoder.mux(video: (video, 0), audio: nil, output: cut, untilMs: 2_500)
        let times = try MediaInspection.packetTimes(cut, stream: "v:0")
        #expect((times.last ?? 0) <= 2.5 && trimmed.videoPackets >= 74 && trimmed.videoPackets <= 76, "\(trimmed.videoPackets)")
        #expect(try Self.decodedFrames(cut) == Int(trimmed.videoPackets))
    }

    /// A jump back in the video's timestamps (5 s of video, then packets from 4 s on) used to fail the whole mux
    /// (the muxer refuses a dts going back); the packets going back are dropped and counted instead.
    @Test func aJumpBackInTimeDropsThePacketsGoingBack() throws {
        let video = try Self.jumpBack.get()
        let order = try Self.packetTimesInFileOrder(video, stream: "v:0")
        #expect(order.count == 240 && order != order.sorted(), "the fixture jumps back")
        let output = MediaFixtures.output("jump-muxed.mkv")
        let muxed = try testTranscoder.mux(video: (video, 0), audio: (try MediaFixtures.audioOnly.get(), 0), output: output)
        #expect(muxed.hasVideo && muxed.hasAudio)
        #expect(muxed.recoveredErrors > 0 && muxed.videoPackets + Int64(muxed.recoveredErrors) == 240, "\(muxed)")
        #expect(abs(muxed.durationMs - 7_000) <= 60, "\(muxed.durationMs)")
        let written = try Self.packetTimesInFileOrder(output, stream: "v:0")
        #expect(written.count == Int(muxed.videoPackets) && written == written.sorted())
    }

    @Test func untilTrimsEveryStream() throws {
        let output = MediaFixtures.output("until-muxed.mkv")
        let muxed = try testTranscoder.mux(
            video: (try MediaFixtures.videoOnly.get(), 0), audio: (try MediaFixtures.audioOnly.get(), 700), output: output, untilMs: 3_000)
        #expect(muxed.hasVideo && muxed.hasAudio && muxed.videoPackets == 91)
        #expect(muxed.durationMs >= 2_960 && muxed.durationMs <= 3_034, "\(muxed.durationMs)")
        #expect(try testTranscoder.probe(output).durationMs <= 3_034)
        let last = try [MediaInspection.packetTimes(output, stream: "v:0"), MediaInspection.packetTimes(output, stream: "a:0")].compactMap(\.last)
        #expect(last.count == 2 && last.allSatisfy { $0 <= 3.0 }, "\(last)")
        // A stream beginning after until is left out; nothing left at all is an error.
        let audioOnly = try testTranscoder.mux(
            video: (try MediaFixtures.videoOnly.get(), 4_000), audio: (try MediaFixtures.audioOnly.get(), 0), output: output, untilMs: 3_000)
        #expect(!audioOnly.hasVideo && audioOnly.hasAudio && audioOnly.videoPackets == 0)
        #expect(try MediaInspection.stream(output, "video") == nil)
        let empty = MediaFixtures.output("until-empty.mkv")
        #expect(throws: MediaError.self) {
            try testTranscoder.mux(video: (try MediaFixtures.videoOnly.get(), 4_000), audio: nil, output: empty, untilMs: 3_000)
        }
        #expect(!FileManager.default.fileExists(atPath: empty))
    }

    /// A stream Matroska cannot carry (IMA ADPCM of QuickTime) fails the header, after the output was opened: the C
    /// layer removes its own half-written file (called directly, without the Swift wrapper's cleanup).
    @Test func aFailureAfterTheOutputWasOpenedRemovesIt() throws {
        let output = MediaFixtures.output("unmuxable.mkv")
        var report = ml_media_report()
        let status = ml_media_mux(nil, 0, try Self.unmuxableAudio.get(), 0, -1, output, &report)
        let message = withUnsafeBytes(of: report.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        #expect(status == ML_MEDIA_ERR_OUTPUT.rawValue && message.hasPrefix("cannot write the mux header"), "\(status): \(message)")
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(throws: MediaError.self) { try testTranscoder.mux(video: nil, audio: (try Self.unmuxableAudio.get(), 0), output: output) }
    }
}

extension MuxTests {
    /// 5 s of H.264 at 30 fps with two B-frames between references, in Matroska.
    static let bFrames = Result {
        try ffmpeg(
            "b-frames.mkv",
            ["-f", "lavfi", "-i", MediaFixtures.testsrc(seconds: 5), "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "60"])
    }
    /// `MediaFixtures.videoOnly` (0 to 5 s) followed by the clusters of a 3 s encode starting at 4 s: a jump back.
    static let jumpBack = Result {
        let later = try ffmpeg(
            "from-4s.webm",
            [
                "-f", "lavfi", "-i", MediaFixtures.testsrc(seconds: 3), "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8",
                "-b:v", "400k", "-output_ts_offset", "4", "-f", "webm",
            ])
        let first = try Data(contentsOf: URL(fileURLWithPath: try MediaFixtures.videoOnly.get()))
        let second = try Data(contentsOf: URL(fileURLWithPath: later))
        guard let cluster = second.firstRange(of: Data([0x1F, 0x43, 0xB6, 0x75])) else {
            throw MediaFixtures.Failure(description: "no Matroska cluster in \(later)")
        }
        let path = (MediaFixtures.directory as NSString).appendingPathComponent("jump-back.webm")
        try (first + second[cluster.lowerBound...]).write(to: URL(fileURLWithPath: path))
        return path
    }
    /// 1 s of QuickTime IMA ADPCM in a .mov: a codec Matroska has no id for.
    static let unmuxableAudio = Result {
        try ffmpeg("ima-qt.mov", ["-f", "lavfi", "-i", "sine=d=1:sample_rate=22050", "-ac", "1", "-c:a", "adpcm_ima_qt"])
    }

    /// Runs ffmpeg with `arguments` and the output file `name` in the fixtures' directory.
    static func ffmpeg(_ name: String, _ arguments: [String]) throws -> String {
        let path = (MediaFixtures.directory as NSString).appendingPathComponent(name)
        let result = try Tool.run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y"] + arguments + [path])
        guard result.status == 0 else { throw MediaFixtures.Failure(description: "ffmpeg \(arguments.joined(separator: " ")): \(result.stderr)") }
        return path
    }

    /// The presentation times of the packets of `stream` as the file holds them (decode order).
    static func packetTimesInFileOrder(_ path: String, stream: String) throws -> [Double] {
        let packets = try Tool.probe(["-select_streams", stream, "-show_entries", "packet=pts_time", path])["packets"]
        return ((packets as? [[String: Any]]) ?? []).compactMap { ($0["pts_time"] as? String).flatMap(Double.init) }
    }

    /// The video frames ffprobe decodes.
    static func decodedFrames(_ path: String) throws -> Int? {
        let streams = try Tool.probe(["-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", path])["streams"]
        return ((streams as? [[String: Any]])?.first?["nb_read_frames"] as? String).flatMap { Int($0) }
    }
}

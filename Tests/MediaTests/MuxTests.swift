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
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}

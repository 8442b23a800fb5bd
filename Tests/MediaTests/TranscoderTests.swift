import Foundation
import Logging
import MediaPipeline
import Testing

/// The transcoder every media test uses: FFmpeg quiet but for fatal errors (corrupt inputs make it chatty).
let testTranscoder: Transcoder = {
    Transcoder.setLibraryLogLevel(.fatal)
    return Transcoder(logger: Logger(label: "media-tests"))
}()

@Suite struct TranscoderTests {
    @Test func linksFFmpegsLibraries() {
        #expect(Transcoder.libraryVersion >> 16 == 59, "Debian 12's libavformat 59")
    }

    @Test func fixturesLookLikeMediaRecorderFiles() throws {
        let path = try MediaFixtures.standard.get()
        #expect(try MediaInspection.formatDuration(path) == nil, "written through a pipe: no duration in the header")
        let probe = try testTranscoder.probe(path)
        #expect(probe.hasVideo && probe.hasAudio)
        #expect(probe.width == 320 && probe.height == 240)
        #expect(abs(probe.durationMs - 10_000) <= 100, "duration from the packets: \(probe.durationMs)")
        #expect(probe.videoPackets == 300)
        #expect(probe.gapCount == 0)
    }

    @Test func probeFindsTheMissingSlice() throws {
        let path = try MediaFixtures.missingMiddle.get()
        let probe = try testTranscoder.probe(path)
        #expect(probe.gapCount == 1)
        let gap = try #require(probe.gaps.first)
        // Where ffprobe sees the video jump (the largest pause between two packets).
        let times = try MediaInspection.videoPacketTimes(path)
        let jumps = zip(times, times.dropFirst()).map { (start: $0, length: $1 - $0) }
        let widest = try #require(jumps.max { $0.length < $1.length })
        #expect(abs(Double(gap.startMs) / 1000 - widest.start) < 0.1, "gap at \(gap.startMs) ms, ffprobe: \(widest.start) s")
        #expect(abs(Double(gap.lengthMs) / 1000 - widest.length) < 0.1, "gap of \(gap.lengthMs) ms, ffprobe: \(widest.length) s")
        #expect((3000...5000).contains(gap.startMs), "40 % into a 10 s file")
    }

    @Test(arguments: [MediaFixtures.garbage, MediaFixtures.headerThenGarbage])
    func garbageIsAnErrorNotACrash(_ fixture: Result<String, any Error>) throws {
        let path = try fixture.get()
        let output = MediaFixtures.output("garbage.mp4")
        let error = #expect(throws: MediaError.self) { try testTranscoder.transcodeTrack(input: path, output: output) }
        #expect(error?.code == .invalidInput || error?.code == .noDecodableStream, "\(String(describing: error))")
        #expect(error?.message.isEmpty == false)
        #expect(throws: MediaError.self) { try testTranscoder.probe(path) }
        #expect(!FileManager.default.fileExists(atPath: output), "no output left behind")
    }

    @Test func aMissingFileIsAnInputError() {
        let error = #expect(throws: MediaError.self) { try testTranscoder.probe("/nonexistent/recording.webm") }
        #expect(error?.code == .invalidInput)
    }

    @Test func offloadedRunsOnADedicatedThread() async throws {
        let path = try MediaFixtures.videoOnly.get()
        let probe = try await testTranscoder.offloaded { try $0.probe(path) }
        #expect(probe.hasVideo && !probe.hasAudio)
    }
}

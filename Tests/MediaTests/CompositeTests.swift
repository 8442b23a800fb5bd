import Foundation
import MediaPipeline
import Testing

@Suite struct CompositeTests {
    @Test func twoTracksSideBySideAlignedByTheirStartOffsets() throws {
        // Track A beeps 2 s into itself and starts with the session; track B beeps 1 s into itself and starts 3 s later.
        let a = try MediaFixtures.beepAtTwo.get()
        let b = try MediaFixtures.beepAtOne.get()
        let mp4 = MediaFixtures.output("composite.mp4")
        let hls = MediaFixtures.output("hls")
        let report = try testTranscoder.composite(inputs: [(a, 0), (b, 3000)], mp4: mp4, hlsDirectory: hls)

        let video = try #require(try MediaInspection.stream(mp4, "video"))
        #expect(video["codec_name"] as? String == "h264")
        #expect(video["width"] as? Int == 1280 && video["height"] as? Int == 720)
        #expect(video["avg_frame_rate"] as? String == "30/1", "constant 30 fps")
        #expect(try MediaInspection.stream(mp4, "audio")?["codec_name"] as? String == "aac")
        let duration = try #require(try MediaInspection.formatDuration(mp4))
        #expect(abs(duration - 9) <= 0.2, "B ends 3 + 6 s after the start: \(duration)")
        #expect(report.hasAudio && report.width == 1280 && abs(Double(report.durationMs) / 1000 - duration) < 0.05)
        let boxes = try MediaInspection.topLevelBoxes(mp4)
        #expect(boxes.firstIndex(of: "moov")! < boxes.firstIndex(of: "mdat")!)

        // Both beeps, mixed, where the offsets put them: A's at 2 s, B's at 3 + 1 s.
        let silences = try MediaInspection.silences(mp4)
        #expect(silences.count >= 2, "\(silences)")
        if silences.count >= 2 {
            #expect(abs(silences[0].end - 2.0) < 0.1, "A's beep at \(silences[0].end)")
            #expect(abs(silences[1].end - 4.0) < 0.1, "B's beep at \(silences[1].end)")
        }
        // B's tile (the right half) is a flat placeholder before it starts and B's picture after.
        #expect(try MediaInspection.lumaVariance(mp4, at: 1.5, crop: (640, 0, 640, 720)) < 1)
        #expect(try MediaInspection.lumaVariance(mp4, at: 4.5, crop: (640, 0, 640, 720)) > 100)
        #expect(try MediaInspection.lumaVariance(mp4, at: 1.5, crop: (0, 120, 640, 480)) > 100, "A is there from the start")

        // HLS: a VOD playlist of fMP4 segments of about 4 s, and ffprobe reads it.
        let playlist = try String(contentsOfFile: report.playlist, encoding: .utf8)
        #expect(playlist.contains("#EXT-X-PLAYLIST-TYPE:VOD") && playlist.contains("#EXT-X-ENDLIST"))
        #expect(playlist.contains("#EXT-X-MAP:URI=\"init.mp4\""))
        let lengths = playlist.split(separator: "\n").filter { $0.hasPrefix("#EXTINF:") }.compactMap { Double($0.dropFirst(8).prefix { $0 != "," }) }
        #expect(lengths.count == report.segmentCount && report.segmentCount == 3, "\(lengths)")
        #expect(lengths.dropLast().allSatisfy { abs($0 - 4) < 0.1 })
        for name in ["init.mp4"] + (0..<report.segmentCount).map({ String(format: "segment_%05d.m4s", $0) }) {
            #expect(FileManager.default.fileExists(atPath: (hls as NSString).appendingPathComponent(name)), "\(name)")
        }
        let hlsDuration = try #require(try MediaInspection.formatDuration(report.playlist))
        #expect(abs(hlsDuration - duration) < 0.2)
        #expect(try MediaInspection.stream(report.playlist, "video")?["codec_name"] as? String == "h264")
    }

    @Test func audioOnlyAndVideoOnlyTracksInAGrid() throws {
        let inputs = [
            (try MediaFixtures.standard.get(), Int64(0)), (try MediaFixtures.audioOnly.get(), Int64(1000)),
            (try MediaFixtures.videoOnly.get(), Int64(500)),
        ]
        var transcoder = testTranscoder
        transcoder.options.canvasWidth = 640
        transcoder.options.canvasHeight = 360
        let mp4 = MediaFixtures.output("grid.mp4")
        let report = try transcoder.composite(inputs: inputs, mp4: mp4, hlsDirectory: MediaFixtures.output("grid-hls"))
        #expect(report.hasAudio && report.width == 640 && report.height == 360)
        let duration = try #require(try MediaInspection.formatDuration(mp4))
        #expect(abs(duration - 10) <= 0.2)
        // A 2 x 2 grid of 320 x 180 tiles, the third centred below: the audio-only track's tile is a placeholder.
        #expect(try MediaInspection.lumaVariance(mp4, at: 3, crop: (320, 0, 320, 180)) < 1, "the audio-only tile")
        #expect(try MediaInspection.lumaVariance(mp4, at: 3, crop: (160 + 40, 180, 240, 180)) > 100, "the video-only tile")
        #expect(try MediaInspection.lumaVariance(mp4, at: 3, crop: (40, 0, 240, 180)) > 100, "the first tile")
        #expect(try MediaInspection.decodesCleanly(mp4))
    }

    @Test func withoutAudioAnywhereTheOutputsHaveNoAudioStream() throws {
        var transcoder = testTranscoder
        transcoder.options.canvasWidth = 320
        transcoder.options.canvasHeight = 180
        let mp4 = MediaFixtures.output("silent.mp4")
        let report = try transcoder.composite(
            inputs: [(try MediaFixtures.videoOnly.get(), 0)], mp4: mp4, hlsDirectory: MediaFixtures.output("silent-hls"))
        #expect(!report.hasAudio)
        #expect(try MediaInspection.streams(mp4).map { $0["codec_type"] as? String } == ["video"])
    }

    @Test func aGarbageInputFailsNamingIt() throws {
        let mp4 = MediaFixtures.output("failed.mp4")
        let hls = MediaFixtures.output("failed-hls")
        let inputs = [(try MediaFixtures.videoOnly.get(), Int64(0)), (try MediaFixtures.garbage.get(), Int64(0))]
        let error = #expect(throws: MediaError.self) { try testTranscoder.composite(inputs: inputs, mp4: mp4, hlsDirectory: hls) }
        #expect(error?.code == .invalidInput && error?.input == 1, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: mp4))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: hls))?.isEmpty ?? true)
    }
}

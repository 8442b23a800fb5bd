import Foundation
import MediaPipeline
import Testing

@Suite struct TrackTranscodeTests {
    /// Transcodes a fixture into a new MP4 of this test process.
    private func transcode(_ fixture: Result<String, any Error>, _ name: String) throws -> (input: String, output: String, report: TrackReport) {
        let input = try fixture.get()
        let output = MediaFixtures.output(name)
        return (input, output, try testTranscoder.transcodeTrack(input: input, output: output))
    }

    @Test func tenSecondsBecomeAFaststartH264AACMP4() throws {
        let (_, output, report) = try transcode(MediaFixtures.standard, "standard.mp4")
        let video = try #require(try MediaInspection.stream(output, "video"))
        let audio = try #require(try MediaInspection.stream(output, "audio"))
        #expect(video["codec_name"] as? String == "h264")
        #expect(video["pix_fmt"] as? String == "yuv420p")
        #expect(video["width"] as? Int == 320 && video["height"] as? Int == 240)
        #expect(audio["codec_name"] as? String == "aac")
        #expect(audio["sample_rate"] as? String == "48000")
        let duration = try #require(try MediaInspection.formatDuration(output))
        #expect(abs(duration - 10) <= 0.2, "duration \(duration)")
        #expect(abs(Double(report.durationMs) / 1000 - duration) < 0.05, "the report says what the file holds")
        let boxes = try MediaInspection.topLevelBoxes(output)
        let moov = try #require(boxes.firstIndex(of: "moov"))
        let mdat = try #require(boxes.firstIndex(of: "mdat"))
        #expect(moov < mdat, "faststart: moov before mdat (\(boxes))")
        let keyframes = try MediaInspection.keyframeTimes(output)
        #expect(keyframes.first == 0)
        let intervals = zip(keyframes, keyframes.dropFirst()).map { $1 - $0 }
        #expect(intervals.allSatisfy { $0 <= 2.0 }, "keyframes at \(keyframes)")
        #expect(duration - (keyframes.last ?? 0) <= 2.0)
        #expect(report.videoFrames == 300 && report.gapCount == 0 && report.resolutionChanges == 0)
        #expect(try MediaInspection.decodesCleanly(output))
    }

    @Test func variableFrameRateTimestampsAreKept() throws {
        let (input, output, report) = try transcode(MediaFixtures.variableRate, "variable-rate.mp4")
        let before = try MediaInspection.videoPacketTimes(input)
        let after = try MediaInspection.videoPacketTimes(output)
        #expect(before.count == after.count && before.count == 80, "frames \(before.count) → \(after.count)")
        let origin = try MediaInspection.firstPacketTime(input)
        // Times count from the file's first packet (of any stream). The first picture is moved to 0 (it stands from
        // the track's start); every later one keeps its time.
        let shifted = zip(before.dropFirst(), after.dropFirst()).map { abs(($0 - origin) - $1) }
        #expect(shifted.allSatisfy { $0 < 0.002 }, "largest shift \(shifted.max() ?? 0)")
        #expect(after.contains { abs($0 - 0.633) < 0.02 } == false, "a dropped frame was not invented")
        #expect(report.videoFrames == 80)
    }

    @Test func aMissingMiddleSliceBecomesAFrozenFrameAndSilence() throws {
        let (input, output, report) = try transcode(MediaFixtures.missingMiddle, "missing-middle.mp4")
        let probe = try testTranscoder.probe(input)
        let gap = try #require(report.gaps.first)
        #expect(report.gapCount == 1 && report.gaps == probe.gaps)
        let duration = try #require(try MediaInspection.formatDuration(output))
        #expect(duration >= Double(probe.durationMs) / 1000 - 0.05, "not shorter than the input's packets: \(duration) s vs \(probe.durationMs) ms")
        #expect(abs(duration - 10) <= 0.2)
        // The video: no picture inside the gap, the one before it lasts until the one after.
        let times = try MediaInspection.videoPacketTimes(output)
        let gapStart = Double(gap.startMs) / 1000
        let gapEnd = Double(gap.startMs + gap.lengthMs) / 1000
        #expect(!times.contains { $0 > gapStart + 0.05 && $0 < gapEnd - 0.05 })
        #expect(times.contains { $0 >= gapEnd - 0.05 }, "the pictures after the gap are there")
        // The audio: a continuous tone but for a silence exactly where the gap is.
        let silences = try MediaInspection.silences(output)
        #expect(silences.count == 1, "\(silences)")
        let silence = try #require(silences.first)
        #expect(abs(silence.start - gapStart) < 0.1 && abs(silence.end - gapEnd) < 0.1, "silence \(silence), gap \(gapStart)–\(gapEnd)")
        #expect(abs(report.silenceMs - gap.lengthMs) < 100)
        #expect(try MediaInspection.decodesCleanly(output))
    }

    @Test func aTruncatedTailKeepsWhatArrived() throws {
        let (input, output, report) = try transcode(MediaFixtures.truncated, "truncated.mp4")
        let probe = try testTranscoder.probe(input)
        #expect((6000...8000).contains(probe.durationMs), "70 % of a 10 s file: \(probe.durationMs) ms")
        let duration = try #require(try MediaInspection.formatDuration(output))
        #expect(abs(duration - Double(probe.durationMs) / 1000) <= 0.1, "\(duration) s vs \(probe.durationMs) ms")
        #expect(report.hasVideo && report.hasAudio)
        #expect(try MediaInspection.decodesCleanly(output))
    }

    @Test func aResolutionChangeIsScaledIntoTheFirstSize() throws {
        let (input, output, report) = try transcode(MediaFixtures.resolutionChange, "resolution-change.mp4")
        let sizes = try Tool.probe(["-select_streams", "v:0", "-show_entries", "frame=width,height", input])["frames"] as? [[String: Any]] ?? []
        #expect(Set(sizes.compactMap { $0["width"] as? Int }) == [320, 240], "the input really changes size")
        #expect(report.resolutionChanges == 1)
        #expect(report.width == 320 && report.height == 240)
        let frames = try Tool.probe(["-select_streams", "v:0", "-show_entries", "frame=width,height", output])["frames"] as? [[String: Any]] ?? []
        #expect(frames.count == 240)
        #expect(frames.allSatisfy { $0["width"] as? Int == 320 && $0["height"] as? Int == 240 })
        let duration = try #require(try MediaInspection.formatDuration(output))
        #expect(abs(duration - 8) <= 0.2)
        // The portrait half is letterboxed: the tile's left edge is black bars, its middle is picture.
        #expect(try MediaInspection.lumaVariance(output, at: 6, crop: (0, 0, 60, 240)) < 4)
        #expect(try MediaInspection.lumaVariance(output, at: 6, crop: (100, 0, 120, 240)) > 100)
    }

    @Test func audioOnlyStaysAudioOnlyAndMono() throws {
        let (_, output, report) = try transcode(MediaFixtures.audioOnly, "audio-only.mp4")
        let streams = try MediaInspection.streams(output)
        #expect(streams.map { $0["codec_name"] as? String } == ["aac"])
        #expect(streams.first?["channels"] as? Int == 1)
        #expect(!report.hasVideo && report.hasAudio)
        let duration = try #require(try MediaInspection.formatDuration(output))
        #expect(abs(duration - 5) <= 0.2)
    }

    @Test func videoOnlyStaysVideoOnly() throws {
        let (_, output, report) = try transcode(MediaFixtures.videoOnly, "video-only.mp4")
        let streams = try MediaInspection.streams(output)
        #expect(streams.map { $0["codec_name"] as? String } == ["h264"])
        #expect(report.hasVideo && !report.hasAudio)
        let duration = try #require(try MediaInspection.formatDuration(output))
        #expect(abs(duration - 5) <= 0.2)
    }
}

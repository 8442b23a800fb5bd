import CMedia
import Foundation
public import Logging

/// The media pipeline's transcoder over FFmpeg's libraries (the CMedia C layer): probes a browser's MediaRecorder
/// WebM, turns one participant's track into an MP4, and composites a session's tracks into one MP4 plus HLS.
///
/// Every method blocks its thread for as long as the work takes (seconds to minutes) and keeps no state between
/// calls, so calls may run in parallel. **Do not call them from the Swift concurrency pool**: use ``offloaded(_:)``,
/// which runs the work on a dedicated thread, or a thread of your own.
public struct Transcoder: Sendable {
    /// FFmpeg's log levels (what the libraries print to stderr).
    public enum LibraryLogLevel: Int32, Sendable {
        case quiet = -8
        case fatal = 8
        case error = 16
        case warning = 24
        case info = 32
    }

    /// Encoding settings.
    public var options: TranscoderOptions
    /// Where each call's outcome is logged (debug level; failures at warning).
    public var logger: Logger

    /// A transcoder with `options`, logging to `logger`.
    public init(options: TranscoderOptions = TranscoderOptions(), logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// libavformat's version number.
    public static var libraryVersion: Int { Int(ml_media_version()) }

    /// Sets FFmpeg's own log level. This is FFmpeg's process-wide setting: set it once at startup.
    public static func setLibraryLogLevel(_ level: LibraryLogLevel) { ml_media_set_log_level(level.rawValue) }

    /// Reads every packet of the recording at `path` (no decoding): streams, size, durations and gaps.
    public func probe(_ path: String) throws(MediaError) -> MediaProbe {
        var report = ml_media_report()
        let status = ml_media_probe(path, &report)
        try logged("probe", path, status, report)
        return MediaProbe(report)
    }

    /// Transcodes one participant's recording to an MP4 at `output` (H.264 + AAC, faststart, the input's timestamps
    /// kept, gaps as a frozen frame and silence). On failure no file is left at `output`.
    public func transcodeTrack(input: String, output: String) throws(MediaError) -> TrackReport {
        var report = ml_media_report()
        let status = withCOptions { ml_media_transcode_track(input, output, $0, &report) }
        if status != ML_MEDIA_OK.rawValue { try? FileManager.default.removeItem(atPath: output) }
        try logged("track", input, status, report)
        return TrackReport(report)
    }

    /// Copies the video of `video` and the audio of `audio` (either may be `nil`, not both) into one Matroska file
    /// at `output` without decoding, each stream's first packet (its first presented frame) at its offset (ms) from
    /// the output's start: a participant's Janus recordings (one file per stream) made into one track. A stream ends
    /// at its first packet presented after `untilMs` (ms on the output's timeline; `nil`: no limit). Packets without
    /// timestamps or going back in time are dropped and counted in `recoveredErrors`; an input with nothing to write
    /// gets no stream. A negative `untilMs` is an invalid argument. On failure no file is left.
    public func mux(
        video: (path: String, offsetMs: Int64)?, audio: (path: String, offsetMs: Int64)?, output: String, untilMs: Int64? = nil
    ) throws(MediaError) -> MediaProbe {
        if let untilMs, untilMs < 0 {
            try? FileManager.default.removeItem(atPath: output)
            throw MediaError(.invalidArgument, "a mux's until (\(untilMs) ms) is before its start")
        }
        var report = ml_media_report()
        let status = ml_media_mux(video?.path, video?.offsetMs ?? 0, audio?.path, audio?.offsetMs ?? 0, untilMs ?? -1, output, &report)
        if status != ML_MEDIA_OK.rawValue { try? FileManager.default.removeItem(atPath: output) }
        try logged("mux", output, status, report)
        return MediaProbe(report)
    }

    /// Composites the tracks, each placed at its `startOffsetMs` after the session's start, into an MP4 at `mp4`
    /// (two side by side, more in a grid, at the canvas size and constant frame rate; audio mixed) and writes the same
    /// streams as HLS (fMP4 segments, VOD `index.m3u8`, `init.mp4`) into `hlsDirectory`, created if missing. Inputs
    /// without video show a placeholder tile; without audio in any input the outputs have no audio stream. On
    /// failure no MP4 and no HLS files are left.
    public func composite(inputs: [(path: String, startOffsetMs: Int64)], mp4: String, hlsDirectory: String) throws(MediaError) -> CompositeReport {
        do {
            try FileManager.default.createDirectory(atPath: hlsDirectory, withIntermediateDirectories: true)
        } catch {
            throw MediaError(.output, "cannot create the HLS directory: \(error)")
        }
        removeHLSFiles(in: hlsDirectory)
        let paths = inputs.map { strdup($0.path) }
        defer { paths.forEach { free($0) } }
        var cInputs = zip(paths, inputs).map { ml_media_input(path: UnsafePointer($0), start_offset_ms: $1.startOffsetMs) }
        var report = ml_media_report()
        let status = withCOptions { options in
            cInputs.withUnsafeMutableBufferPointer { ml_media_composite($0.baseAddress, Int32($0.count), mp4, hlsDirectory, options, &report) }
        }
        if status != ML_MEDIA_OK.rawValue {
            try? FileManager.default.removeItem(atPath: mp4)
            removeHLSFiles(in: hlsDirectory)
        }
        try logged("composite", mp4, status, report)
        let playlist = (hlsDirectory as NSString).appendingPathComponent("index.m3u8")
        let segments = (try? FileManager.default.contentsOfDirectory(atPath: hlsDirectory))?.filter(Self.isSegment).count ?? 0
        return CompositeReport(
            width: Int(report.width), height: Int(report.height), hasAudio: report.has_audio != 0, durationMs: report.duration_ms,
            videoFrames: report.video_frames, resolutionChanges: Int(report.resolution_changes), decodeErrors: Int(report.decode_errors),
            playlist: playlist, segmentCount: segments)
    }

    /// Runs blocking work with this transcoder on a dedicated thread (not the Swift concurrency pool) and awaits it:
    /// `try await transcoder.offloaded { try $0.transcodeTrack(input: a, output: b) }`. Cancelling the awaiting task
    /// does not stop the work.
    public func offloaded<T: Sendable>(_ work: @escaping @Sendable (Transcoder) throws -> T) async throws -> T {
        let transcoder = self
        return try await MediaThread.run(name: "mentorlink.media") { try work(transcoder) }
    }

    private static func isSegment(_ name: String) -> Bool { name.hasPrefix("segment_") && name.hasSuffix(".m4s") }

    /// Removes what a composite writes into an HLS directory (stale files of an earlier attempt, or a failed one's).
    private func removeHLSFiles(in directory: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name == "index.m3u8" || name == "init.mp4" || Self.isSegment(name) {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
    }

    /// The options as the C layer takes them, for the duration of `body`.
    private func withCOptions<R>(_ body: (UnsafePointer<ml_media_options>) -> R) -> R {
        options.preset.withCString { preset in
            var c = ml_media_options(
                canvas_width: Int32(clamping: options.canvasWidth), canvas_height: Int32(clamping: options.canvasHeight),
                fps: Int32(clamping: options.fps), crf: Int32(clamping: options.crf), preset: preset,
                keyframe_interval_ms: Int32(clamping: options.keyframeIntervalMs), audio_bitrate: Int32(clamping: options.audioBitrate),
                audio_channels: Int32(clamping: options.audioChannels), hls_segment_ms: Int32(clamping: options.hlsSegmentMs),
                threads: Int32(clamping: options.threads))
            return body(&c)
        }
    }

    private func logged(_ call: String, _ path: String, _ status: Int32, _ report: ml_media_report) throws(MediaError) {
        do {
            try report.check(status)
            logger.debug(
                "media \(call) done",
                metadata: [
                    "media.path": "\(path)", "media.duration_ms": "\(report.duration_ms)", "media.gaps": "\(report.gap_count)",
                    "media.decode_errors": "\(report.decode_errors)",
                ])
        } catch {
            logger.warning("media \(call) failed", metadata: ["media.path": "\(path)", "media.error": "\(error.message)"])
            throw error
        }
    }
}

import ArgumentParser
import Foundation
import MediaPipeline

/// `mentorlink media transcode|composite`: the media pipeline's transcoder on local files, as `mentorlink consume
/// media` runs it (the same ``Transcoder`` and the same ``TranscoderOptions`` defaults), one job per process. Each
/// prints one line of JSON: what the job made, the settings it used and its wall time. For `scripts/bench media`
/// (against the ffmpeg CLI) and for looking at a recording by hand.
struct MediaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media", abstract: "Transcode or composite recordings with the media pipeline's transcoder (one JSON line out).",
        subcommands: [Transcode.self, Composite.self])

    /// The encoding settings a job may change; the defaults are the pipeline's (``TranscoderOptions``).
    struct Settings: ParsableArguments {
        @Option(help: "libx264's preset (default: the pipeline's).") var preset: String?
        @Option(help: "libx264's constant rate factor, 0...51 (default: the pipeline's).") var crf: Int?
        @Option(help: "libx264's threads; 0: libx264 decides (default: the pipeline's).") var threads: Int?

        /// The pipeline's options with what was given here.
        var options: TranscoderOptions {
            var options = TranscoderOptions()
            if let preset { options.preset = preset }
            if let crf { options.crf = crf }
            if let threads { options.threads = threads }
            return options
        }

        func validate() throws {
            if let crf, !(0...51).contains(crf) { throw ValidationError("--crf must be 0...51") }
            if let threads, !(0...64).contains(threads) { throw ValidationError("--threads must be 0...64") }
            if let preset, preset.isEmpty { throw ValidationError("--preset must not be empty") }
        }
    }

    /// `mentorlink media transcode INPUT OUTPUT`: one participant's recording to an MP4.
    struct Transcode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One participant's recording (MediaRecorder WebM) to an MP4: H.264 + AAC, faststart, gaps kept.")

        @Argument(help: "The recording.") var input: String
        @Argument(help: "The MP4 to write.") var output: String
        @OptionGroup var settings: Settings

        func run() async throws {
            let transcoder = MediaCommand.transcoder(settings.options)
            let (input, output) = (input, output)
            let started = ContinuousClock.now
            let report: TrackReport
            do {
                report = try await transcoder.offloaded { try $0.transcodeTrack(input: input, output: output) }
            } catch let error as MediaError {
                throw MediaCommand.failed(error)
            }
            let wall = ContinuousClock.now - started
            MediaCommand.printLine([
                "job": "transcode", "input": input, "output": output, "hasVideo": report.hasVideo, "hasAudio": report.hasAudio,
                "width": report.width, "height": report.height, "durationMs": Int(report.durationMs), "videoDurationMs": Int(report.videoDurationMs),
                "audioDurationMs": Int(report.audioDurationMs), "videoFrames": Int(report.videoFrames), "resolutionChanges": report.resolutionChanges,
                "decodeErrors": report.decodeErrors, "silenceMs": Int(report.silenceMs), "gapCount": report.gapCount,
                "gaps": report.gaps.map { ["startMs": Int($0.startMs), "lengthMs": Int($0.lengthMs)] },
                "options": MediaCommand.describe(transcoder.options),
                "wallSeconds": MediaCommand.seconds(wall),
            ])
        }
    }

    /// `mentorlink media composite --output X.mp4 --hls DIR INPUT[@offsetMs]...`: a session's tracks on one canvas.
    struct Composite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Composite tracks (each at its start offset) into one MP4 and an fMP4 HLS rendition.")

        @Option(help: "The MP4 to write.") var output: String
        @Option(help: "The directory of the HLS rendition (created if missing).") var hls: String
        @Argument(help: "The tracks, each as PATH or PATH@OFFSET_MS (milliseconds after the session's start; default 0).")
        var inputs: [String]
        @OptionGroup var settings: Settings

        func validate() throws {
            guard (1...16).contains(inputs.count) else { throw ValidationError("1 to 16 inputs") }
            for input in inputs where MediaCommand.track(input) == nil {
                throw ValidationError("\(input): the offset must be 0 or more milliseconds")
            }
        }

        func run() async throws {
            let tracks = inputs.compactMap(MediaCommand.track)
            let transcoder = MediaCommand.transcoder(settings.options)
            let (output, hls) = (output, hls)
            let started = ContinuousClock.now
            let report: CompositeReport
            do {
                report = try await transcoder.offloaded { try $0.composite(inputs: tracks, mp4: output, hlsDirectory: hls) }
            } catch let error as MediaError {
                throw MediaCommand.failed(error)
            }
            let wall = ContinuousClock.now - started
            MediaCommand.printLine([
                "job": "composite", "inputs": tracks.map { ["path": $0.path, "startOffsetMs": Int($0.startOffsetMs)] }, "output": output,
                "playlist": report.playlist, "segmentCount": report.segmentCount, "width": report.width, "height": report.height,
                "hasAudio": report.hasAudio, "durationMs": Int(report.durationMs), "videoFrames": Int(report.videoFrames),
                "resolutionChanges": report.resolutionChanges, "decodeErrors": report.decodeErrors,
                "options": MediaCommand.describe(transcoder.options), "wallSeconds": MediaCommand.seconds(wall),
            ])
        }
    }

    /// A transcoder with `options`; FFmpeg's own messages limited to errors (as `ffmpeg -loglevel error`).
    static func transcoder(_ options: TranscoderOptions) -> Transcoder {
        Transcoder.setLibraryLogLevel(.error)
        return Transcoder(options: options, logger: AppConfiguration.fromEnvironment().makeLogger("mentorlink.media"))
    }

    /// `PATH` or `PATH@OFFSET_MS` (the last `@` followed by digits only); nil for a negative or malformed offset.
    static func track(_ argument: String) -> (path: String, startOffsetMs: Int64)? {
        guard let at = argument.lastIndex(of: "@") else { return (argument, 0) }
        let suffix = argument[argument.index(after: at)...]
        if suffix.first == "-" { return nil }
        guard !suffix.isEmpty, suffix.allSatisfy(\.isASCII), suffix.allSatisfy(\.isNumber), let offset = Int64(suffix) else {
            return (argument, 0)  // an @ that is part of the file's name
        }
        return (String(argument[..<at]), offset)
    }

    /// The settings a job ran with, as the report names them.
    static func describe(_ options: TranscoderOptions) -> [String: Any] {
        [
            "preset": options.preset, "crf": options.crf, "threads": options.threads, "keyframeIntervalMs": options.keyframeIntervalMs,
            "audioBitrate": options.audioBitrate, "audioChannels": options.audioChannels, "canvasWidth": options.canvasWidth,
            "canvasHeight": options.canvasHeight, "fps": options.fps, "hlsSegmentMs": options.hlsSegmentMs,
        ]
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return ((Double(whole) + Double(fraction) / 1e18) * 1000).rounded() / 1000
    }

    /// Writes the report as one line of JSON (keys sorted) on stdout.
    static func printLine(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        print(String(decoding: data, as: UTF8.self))
    }

    /// A job's failure: its message on stderr (as one JSON line) and exit status 1.
    static func failed(_ error: MediaError) -> ExitCode {
        var detail: [String: Any] = ["code": "\(error.code)", "message": error.message]
        if let input = error.input { detail["input"] = input }
        if let data = try? JSONSerialization.data(withJSONObject: ["error": detail], options: [.sortedKeys, .withoutEscapingSlashes]) {
            FileHandle.standardError.write(data + Data("\n".utf8))
        }
        return ExitCode(1)
    }
}

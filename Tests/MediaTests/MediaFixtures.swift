import Foundation

/// Test recordings made with the ffmpeg CLI from lavfi sources (testsrc2 + sine), encoded like a browser's
/// MediaRecorder: WebM, VP8 + Opus, written to a pipe so the file has no duration and no cues. Each is made once per
/// test process, on first use.
enum MediaFixtures {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A directory of this process's files, removed by nobody (the system's temporary directory).
    static let directory: String = {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("mentorlink-media-tests-\(getpid())")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// A path for a new output file of this test process.
    static func output(_ name: String) -> String {
        (directory as NSString).appendingPathComponent("\(UUID().uuidString.prefix(8))-\(name)")
    }

    /// 10 s, 320x240 at 30 fps, a continuous 440 Hz tone.
    static let standard = Result { try webm("standard.webm", video: testsrc(seconds: 10), audio: tone(seconds: 10)) }
    /// `standard` with the bytes from 40 % to 60 % of the file gone (a lost upload chunk).
    static let missingMiddle = Result {
        try sliced("missing-middle.webm", from: standard.get()) { $0.prefix($0.count * 4 / 10) + $0.suffix($0.count * 4 / 10) }
    }
    /// `standard` cut after 70 % of its bytes (an upload that stopped).
    static let truncated = Result { try sliced("truncated.webm", from: standard.get()) { $0.prefix($0.count * 7 / 10) } }
    /// 4 s at 320x240, then 4 s at 240x320, in one WebM (the second encode's packets copied after the first's).
    static let resolutionChange = Result { try concatenated("resolution-change.webm") }
    /// 5 s of mono Opus only.
    static let audioOnly = Result { try webm("audio-only.webm", video: nil, audio: tone(seconds: 5), extra: ["-ac", "1"]) }
    /// 5 s of VP8 only.
    static let videoOnly = Result { try webm("video-only.webm", video: testsrc(seconds: 5), audio: nil) }
    /// 4 s at a variable frame rate: each second's frames 10 to 19 dropped (a 333 ms pause every second).
    static let variableRate = Result {
        try webm(
            "variable-rate.webm", video: testsrc(seconds: 4), audio: tone(seconds: 4),
            extra: ["-vf", "select='not(between(mod(n,30),10,19))'", "-vsync", "vfr"])
    }
    /// 6 s, silent but for a 0.5 s beep at 2.0 s.
    static let beepAtTwo = Result { try webm("beep-2s.webm", video: testsrc(seconds: 6), audio: beep(at: 2, seconds: 6)) }
    /// 6 s, silent but for a 0.5 s beep at 1.0 s.
    static let beepAtOne = Result { try webm("beep-1s.webm", video: testsrc(seconds: 6), audio: beep(at: 1, seconds: 6)) }
    /// 64 KiB of random bytes.
    static let garbage = Result { try written("garbage.webm", Data((0..<65536).map { _ in UInt8.random(in: 0...255) })) }
    /// A real WebM header followed by random bytes.
    static let headerThenGarbage = Result {
        try sliced("header-garbage.webm", from: standard.get()) { $0.prefix(200) + Data((0..<65536).map { _ in UInt8.random(in: 0...255) }) }
    }

    static func testsrc(seconds: Int, size: String = "320x240") -> String { "testsrc2=s=\(size):r=30:d=\(seconds)" }
    static func tone(seconds: Int) -> String { "sine=f=440:sample_rate=48000:d=\(seconds)" }
    static func beep(at second: Int, seconds: Int) -> String {
        "aevalsrc=0.5*sin(2*PI*880*t)*between(t\\,\(second)\\,\(second).5):s=48000:d=\(seconds)"
    }

    /// Encodes lavfi sources to WebM (VP8 realtime + Opus) through a pipe, as MediaRecorder writes it.
    static func webm(_ name: String, video: String?, audio: String?, extra: [String] = []) throws -> String {
        var arguments = ["-hide_banner", "-loglevel", "error", "-y"]
        if let video { arguments += ["-f", "lavfi", "-i", video] }
        if let audio { arguments += ["-f", "lavfi", "-i", audio] }
        if video != nil { arguments += ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k"] }
        if audio != nil { arguments += ["-c:a", "libopus", "-b:a", "48k"] }
        arguments += extra + ["-f", "webm", "pipe:1"]
        return try piped(name, arguments)
    }

    private static func concatenated(_ name: String) throws -> String {
        let first = try webm("landscape.webm", video: testsrc(seconds: 4), audio: tone(seconds: 4))
        let second = try webm("portrait.webm", video: testsrc(seconds: 4, size: "240x320"), audio: tone(seconds: 4))
        let list = try written("resolution-change.txt", Data("file '\(first)'\nfile '\(second)'\n".utf8))
        return try piped(
            name, ["-hide_banner", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list, "-c", "copy", "-f", "webm", "pipe:1"])
    }

    private static func sliced(_ name: String, from source: String, _ cut: (Data) -> Data) throws -> String {
        try written(name, cut(Data(contentsOf: URL(fileURLWithPath: source))))
    }

    private static func written(_ name: String, _ data: Data) throws -> String {
        let path = (directory as NSString).appendingPathComponent(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs ffmpeg with its stdout into the file `name` (a pipe to ffmpeg: nothing it writes can be seeked back to).
    private static func piped(_ name: String, _ arguments: [String]) throws -> String {
        let path = (directory as NSString).appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? file.close() }
        let result = try Tool.run("ffmpeg", arguments, stdout: file)
        guard result.status == 0 else { throw Failure(description: "ffmpeg \(arguments.joined(separator: " ")): \(result.stderr)") }
        return path
    }
}

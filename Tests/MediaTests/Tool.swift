import Foundation

/// Runs the ffmpeg and ffprobe CLIs for the tests.
enum Tool {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// Runs `name` (found on PATH) and waits; stdout goes to `stdout` when given, else is collected.
    static func run(_ name: String, _ arguments: [String], stdout: FileHandle? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name] + arguments
        let errors = Pipe()
        let output = Pipe()
        process.standardOutput = stdout ?? output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain both pipes while the process runs (a full pipe would block it).
        let collected = stdout == nil ? PipeReader(output.fileHandleForReading) : nil
        let errorText = errors.fileHandleForReading.readDataToEndOfFile()
        let data = collected?.wait() ?? Data()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: data, stderr: String(decoding: errorText, as: UTF8.self))
    }

    /// `ffprobe -of json` with `arguments`, decoded.
    static func probe(_ arguments: [String]) throws -> [String: Any] {
        let result = try run("ffprobe", ["-v", "error", "-of", "json"] + arguments)
        guard result.status == 0, let json = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] else {
            throw MediaFixtures.Failure(description: "ffprobe \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return json
    }

    /// What ffmpeg prints on stderr running `arguments` (a filter's measurements), and its exit status.
    static func ffmpegLog(_ arguments: [String]) throws -> (status: Int32, log: String) {
        let result = try run("ffmpeg", ["-hide_banner", "-nostats"] + arguments)
        return (result.status, result.stderr)
    }
}

/// Reads a pipe to its end on a thread of its own.
final class PipeReader: @unchecked Sendable {  // `data` is written once by the thread, read after `wait()` joins it
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

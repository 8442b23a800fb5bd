import Foundation
import MentorLinkClient
import Testing

/// `mentorlink serve` as a process: restarts a worker that dies, drains on SIGTERM and exits 0.
@Suite(.serialized, .timeLimit(.minutes(2))) struct SupervisorTests {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/mentorlink")
        .standardized.path

    /// Starts `mentorlink serve --workers 2` in a directory of its own; no backing services are needed to serve ping.
    func startSupervisor() throws -> (Process, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ml-serve-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--workers", "2", "--drain-seconds", "5"]
        var environment = ProcessInfo.processInfo.environment
        environment["MENTORLINK_RUN_DIR"] = directory
        environment["REDIS_URL"] = "unix://\(directory)/no-redis.sock"
        environment["KAFKA_BROKERS"] = "127.0.0.1:9"
        environment["LOG_LEVEL"] = "critical"
        environment["MENTORLINK_JWT_KEYS"] = "test:" + Data(repeating: 9, count: 32).base64EncodedString()
        environment["MEDIA_SECRET"] = "supervisortestsecret"
        // The test stack's Janus (exported by scripts/test) is not these workers': without its secrets they would
        // refuse to start.
        for key in ["MENTORLINK_JANUS_URL", "MENTORLINK_JANUS_ADMIN_URL"] { environment.removeValue(forKey: key) }
        process.environment = environment
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, directory)
    }

    /// Polls for the process to end (Foundation's `waitUntilExit` spins a run loop, which aborted once off the main
    /// thread on Linux); kills it after `seconds`.
    static func waitForExit(_ process: Process, seconds: Double = 15) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    func waitUntilServing(_ socket: String) throws {
        for _ in 0..<300 {
            if (try? HTTPConnection(.unix(socket), timeout: 1).request("GET", "/healthz").status) == 200 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ClientError.timeout
    }

    /// The pid of the supervisor's child serving worker `index`.
    func workerPid(of supervisor: Int32, index: Int) -> Int32? {
        let children = (try? String(contentsOfFile: "/proc/\(supervisor)/task/\(supervisor)/children", encoding: .utf8)) ?? ""
        let all = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(supervisor)/task")) ?? []
        let more = all.compactMap { try? String(contentsOfFile: "/proc/\(supervisor)/task/\($0)/children", encoding: .utf8) }.joined(separator: " ")
        for pid in (children + " " + more).split(separator: " ").compactMap({ Int32($0) }) {
            let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            if command.replacingOccurrences(of: "\0", with: " ").contains("--index \(index)") { return pid }
        }
        return nil
    }

    @Test func deadWorkerIsRestarted() async throws {
        let (process, directory) = try startSupervisor()
        defer {
            process.terminate()
            Self.waitForExit(process)
            try? FileManager.default.removeItem(atPath: directory)
        }
        try await TestEnvironment.offThePool {
            try waitUntilServing("\(directory)/worker-1.sock")
            let first = try #require(workerPid(of: process.processIdentifier, index: 1))
            kill(first, SIGKILL)
            Thread.sleep(forTimeInterval: 0.2)
            try waitUntilServing("\(directory)/worker-1.sock")
            let second = try #require(workerPid(of: process.processIdentifier, index: 1))
            #expect(second != first)
            // The restart is counted on the supervisor's own socket, the other worker's not.
            let metrics = try HTTPConnection(.unix("\(directory)/supervisor.sock"), timeout: 2).request("GET", "/metrics").text
            #expect(metrics.contains(#"mentorlink_supervisor_restarts_total{process="worker-1"} 1"#))
            #expect(metrics.contains(#"mentorlink_supervisor_restarts_total{process="worker-0"} 0"#))
            #expect(metrics.contains(#"mentorlink_supervisor_process_up{process="worker-1"} 1"#))
        }
    }

    @Test func sigtermClosesWebSocketsWith1001AndExitsZero() async throws {
        let (process, directory) = try startSupervisor()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(atPath: directory)
        }
        let status = try await TestEnvironment.offThePool { () -> Int32 in
            try waitUntilServing("\(directory)/worker-0.sock")
            let socket = try WebSocketConnection(.unix("\(directory)/worker-0.sock"))
            #expect(try socket.call(#"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#).contains("pong"))
            process.terminate()
            #expect(try socket.receive() == .close(code: 1001))
            Self.waitForExit(process)
            return process.isRunning ? -1 : process.terminationStatus
        }
        #expect(status == 0)
    }
}

import Foundation
import RedisAdapter
import Testing

/// Redis commands end with a clear retryable error when no reply comes, and reconnection attempts back off (with
/// jitter) instead of one connect per command while Redis is away. Against real Redis servers: the shared one
/// (a blocking command that outlives the timeout) and one of the test's own that it stops and starts.
@Suite(.timeLimit(.minutes(1))) struct RedisResilienceTests {
    func address() throws -> RedisAddress { .unix(path: "\(try TestEnvironment.runDirectory())/redis.sock") }

    @Test func aCommandWithoutAReplyTimesOutAndTheClientRecovers() async throws {
        let client = RedisClient(address: try address(), logger: TestEnvironment.logger, commandTimeout: .milliseconds(300))
        let key = "test:\(UUID().uuidString)"
        // BLPOP on an empty list blocks for 5 s on the server: longer than the command timeout.
        await #expect(throws: RedisAdapterError.timeout) { try await client.send("BLPOP", key, "5") }
        #expect(RedisAdapterError.timeout.isRetryable)
        // The connection whose reply was late is dropped (a late reply must not answer the next command). On a loaded
        // machine the reconnect itself may miss the 300 ms timeout: a few tries.
        var recovered = false
        for _ in 0..<10 where !recovered {
            if (try? await client.send("SET", key, "after")) != nil { recovered = true } else { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(recovered)
        #expect(try await client.send("GET", key).string == "after")
    }

    @Test func aStoppedServerTimesOutThenReconnectsWithBackoff() async throws {
        let server = try OwnRedis()
        defer { server.stop() }
        let client = RedisClient(
            address: server.address, logger: TestEnvironment.logger, commandTimeout: .milliseconds(300),
            reconnect: RedisBackoff(initial: .seconds(30), maximum: .seconds(60)))
        try await server.waitUntilUp(client)
        // Paused: connected, but no reply ever comes.
        kill(server.pid, SIGSTOP)
        await #expect(throws: RedisAdapterError.timeout) { try await client.send("PING") }
        kill(server.pid, SIGCONT)
        server.stop()
        // Gone: the first command tries to connect and fails; the next ones wait out the backoff instead of
        // connecting again (one attempt, not twenty).
        let attemptsBefore = client.connectAttempts
        for _ in 0..<20 { await #expect(throws: (any Error).self) { try await client.send("PING") } }
        #expect(client.connectAttempts - attemptsBefore == 1)
        await #expect(throws: RedisAdapterError.self) {
            do { try await client.send("PING") } catch let error as RedisAdapterError {
                #expect(error.isRetryable)
                throw error
            }
        }
    }

    @Test func backoffDoublesWithJitterUpToTheCap() {
        let backoff = RedisBackoff(initial: .milliseconds(100), maximum: .seconds(5))
        for failures in 1...12 {
            let base = min(5.0, 0.1 * Double(1 << (failures - 1)))
            let delay = backoff.delay(afterFailures: failures)
            #expect(delay >= .milliseconds(Int64(base * 500)) && delay <= .milliseconds(Int64(base * 1000)))
        }
        // Jitter: many clients that failed together do not come back together.
        #expect(Set((0..<20).map { _ in backoff.delay(afterFailures: 6) }).count > 1)
    }
}

/// A redis-server of the test's own on a Unix socket in a temporary directory.
final class OwnRedis: Sendable {
    let directory: String
    let process: Process
    var pid: Int32 { process.processIdentifier }
    var address: RedisAddress { .unix(path: "\(directory)/redis.sock") }

    init() throws {
        directory = NSTemporaryDirectory() + "redis-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = ["--port", "0", "--unixsocket", "\(directory)/redis.sock", "--save", "", "--appendonly", "no", "--dir", directory]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    func waitUntilUp(_ client: RedisClient) async throws {
        for _ in 0..<100 {
            if FileManager.default.fileExists(atPath: "\(directory)/redis.sock") { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        // A loaded machine may miss the 300 ms command timeout while the server starts: a few tries.
        for _ in 0..<10 {
            if (try? await client.check()) != nil { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await client.check()
    }

    func stop() {
        if process.isRunning {
            kill(pid, SIGCONT)
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

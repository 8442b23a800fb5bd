import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps N `mentorlink worker` processes alive: a worker that dies is restarted after an exponential backoff
/// (0.5 s doubling to 30 s, reset after a minute of health); a graceful shutdown sends each SIGTERM and waits
/// up to the drain deadline before SIGKILL.
struct Supervisor: Service {
    let count: Int
    let drainDeadline: Duration
    let logger: Logger

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask { await supervise(index) }
            }
        }
    }

    private func supervise(_ index: Int) async {
        var backoff = Duration.milliseconds(500)
        var logger = self.logger
        logger[metadataKey: "worker.index"] = .string("\(index)")
        while !Task.isShuttingDownGracefully {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.executablePath)
            process.arguments = ["worker", "--index", "\(index)", "--supervised"]
            let exited = ExitSignal()
            process.terminationHandler = { _ in exited.fire() }
            do {
                try process.run()
            } catch {
                logger.error("worker.spawn_failed", metadata: ["error": .string("\(error)")])
                try? await Task.sleep(for: backoff)
                continue
            }
            let started = ContinuousClock.now
            logger.info("worker.started", metadata: ["pid": .string("\(process.processIdentifier)")])
            await withGracefulShutdownHandler {
                await exited.wait()
            } onGracefulShutdown: {
                process.terminate()
                let pid = process.processIdentifier
                Task {
                    try? await Task.sleep(for: drainDeadline)
                    if !exited.hasFired { kill(pid, SIGKILL) }
                }
            }
            if Task.isShuttingDownGracefully {
                logger.info("worker.stopped", metadata: ["status": .string("\(process.terminationStatus)")])
                return
            }
            if ContinuousClock.now - started > .seconds(60) { backoff = .milliseconds(500) }
            logger.warning(
                "worker.died",
                metadata: ["status": .string("\(process.terminationStatus)"), "restart_in_ms": .string("\(backoff.components.seconds * 1000 + backoff.components.attoseconds / 1_000_000_000_000_000)")]
            )
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(30))
        }
    }

    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// A one-shot signal that an async task can wait for.
final class ExitSignal: Sendable {
    private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    var hasFired: Bool { state.withLock { $0.fired } }

    func fire() {
        let waiters = state.withLock { state in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let fired = state.withLock { state in
                if !state.fired { state.waiters.append(continuation) }
                return state.fired
            }
            if fired { continuation.resume() }
        }
    }
}

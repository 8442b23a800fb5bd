import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// One program the supervisor keeps alive: `mentorlink <arguments…> --supervised`, known by `name` in logs and metrics.
struct SupervisedProgram: Sendable {
    /// Shown in logs and as the `process` label of the metrics (`worker-0`, `relay`, `consume-email`).
    let name: String
    /// The `mentorlink` subcommand and its options; `--supervised` is appended.
    let arguments: [String]

    /// Worker `index` (`mentorlink worker --index K`).
    static func worker(_ index: Int) -> SupervisedProgram {
        SupervisedProgram(name: "worker-\(index)", arguments: ["worker", "--index", "\(index)"])
    }

    /// The outbox relay and both consumers (`mentorlink serve --events`).
    static let events = [
        SupervisedProgram(name: "relay", arguments: ["relay"]),
        SupervisedProgram(name: "consume-notifications", arguments: ["consume", "notifications"]),
        SupervisedProgram(name: "consume-email", arguments: ["consume", "email"]),
        SupervisedProgram(name: "consume-media", arguments: ["consume", "media"]),
    ]
}

/// Keeps its programs alive: one that dies is restarted after an exponential backoff (0.5 s doubling to 30 s, reset
/// after a minute of health) and counted in ``SupervisorMetrics``; a graceful shutdown sends each SIGTERM and waits
/// up to the drain deadline before SIGKILL.
struct Supervisor: Service {
    let programs: [SupervisedProgram]
    let drainDeadline: Duration
    let metrics: SupervisorMetrics
    let logger: Logger

    func run() async throws { await withTaskGroup(of: Void.self) { group in for program in programs { group.addTask { await supervise(program) } } } }

    private func supervise(_ program: SupervisedProgram) async {
        var backoff = Duration.milliseconds(500)
        var logger = self.logger
        logger[metadataKey: "process"] = .string(program.name)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.executablePath)
            process.arguments = program.arguments + ["--supervised"]
            // The child watches this pid (not its parent at the time it looks, which may already be init).
            process.environment = ProcessInfo.processInfo.environment.merging([ParentWatch.supervisorVariable: "\(getpid())"]) { $1 }
            let exited = ExitSignal()
            process.terminationHandler = { _ in exited.fire() }
            do { try process.run() } catch {
                logger.error("process.spawn_failed", metadata: ["error": .string("\(error)")])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(30))
                continue
            }
            let started = ContinuousClock.now
            metrics.started(program.name)
            logger.info("process.started", metadata: ["pid": .string("\(process.processIdentifier)")])
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
            metrics.exited(program.name)
            if Task.isShuttingDownGracefully {
                logger.info("process.stopped", metadata: ["status": .string("\(process.terminationStatus)")])
                return
            }
            if ContinuousClock.now - started > .seconds(60) { backoff = .milliseconds(500) }
            let event = program.name.hasPrefix("worker-") ? "worker.died" : "process.died"
            logger.warning(
                "\(event)",
                metadata: [
                    "status": .string("\(process.terminationStatus)"),
                    "restart_in_ms": .string("\(backoff.components.seconds * 1000 + backoff.components.attoseconds / 1_000_000_000_000_000)"),
                ])
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(30))
        }
    }

    static var executablePath: String { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0] }
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

import Synchronization

/// What the supervisor has seen of its programs: starts, restarts (a start after the first) and whether each runs
/// now; rendered as Prometheus text on `<run dir>/supervisor.sock` `GET /metrics`.
final class SupervisorMetrics: Sendable {
    private struct Program {
        var starts = 0
        var up = false
    }

    private let state: Mutex<[String: Program]>

    /// Metrics for these programs, all down and never started.
    init(programs: [String]) { state = Mutex(Dictionary(uniqueKeysWithValues: programs.map { ($0, Program()) })) }

    /// Records that `name` started.
    func started(_ name: String) {
        state.withLock {
            $0[name, default: Program()].starts += 1
            $0[name, default: Program()].up = true
        }
    }

    /// Records that `name` exited.
    func exited(_ name: String) { state.withLock { $0[name, default: Program()].up = false } }

    /// Restarts of all programs together.
    var totalRestarts: Int { state.withLock { $0.values.reduce(0) { $0 + max(0, $1.starts - 1) } } }

    /// The Prometheus text exposition.
    func render() -> String {
        let programs = state.withLock { $0 }.sorted { $0.key < $1.key }
        var out = "# HELP mentorlink_supervisor_restarts_total Times a supervised process died and was started again.\n"
        out += "# TYPE mentorlink_supervisor_restarts_total counter\n"
        for (name, program) in programs { out += "mentorlink_supervisor_restarts_total{process=\"\(name)\"} \(max(0, program.starts - 1))\n" }
        out += "# HELP mentorlink_supervisor_process_up Whether the supervised process is running.\n"
        out += "# TYPE mentorlink_supervisor_process_up gauge\n"
        for (name, program) in programs { out += "mentorlink_supervisor_process_up{process=\"\(name)\"} \(program.up ? 1 : 0)\n" }
        return out
    }
}

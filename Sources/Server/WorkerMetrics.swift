public import JSONRPC
import Synchronization

/// The worker's Prometheus metrics: requests by method and outcome, a latency histogram, open connections.
public final class WorkerMetrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    private struct State {
        var requests: [Key: Int] = [:]
        var bucketCounts = [Int](repeating: 0, count: WorkerMetrics.buckets.count)
        var latencySum = 0.0
        var latencyCount = 0
        var httpConnections = 0
        var webSocketConnections = 0
    }

    private struct Key: Hashable {
        var method: String
        var outcome: String
    }

    private let state = Mutex(State())

    /// Creates empty metrics.
    public init() {}

    /// Records one finished call.
    public func record(_ call: CallRecord) {
        let seconds = Double(call.duration.components.seconds) + Double(call.duration.components.attoseconds) / 1e18
        let outcome = call.errorCode.map { "error_\($0)" } ?? "ok"
        state.withLock { state in
            state.requests[Key(method: call.method ?? "_invalid", outcome: outcome), default: 0] += 1
            guard call.method != nil else { return }
            state.latencySum += seconds
            state.latencyCount += 1
            if let bucket = Self.buckets.firstIndex(where: { seconds <= $0 }) { state.bucketCounts[bucket] += 1 }
        }
    }

    /// Counts an HTTP connection opening (`+1`) or closing (`-1`).
    public func httpConnection(_ delta: Int) { state.withLock { $0.httpConnections += delta } }

    /// Counts a WebSocket opening (`+1`) or closing (`-1`).
    public func webSocketConnection(_ delta: Int) { state.withLock { $0.webSocketConnections += delta } }

    /// Currently open WebSockets.
    public var openWebSockets: Int { state.withLock { $0.webSocketConnections } }

    /// The Prometheus text exposition.
    public func render() -> String {
        let snapshot = state.withLock { $0 }
        var out = "# HELP mentorlink_rpc_requests_total JSON-RPC calls by method and outcome.\n"
        out += "# TYPE mentorlink_rpc_requests_total counter\n"
        for (key, count) in snapshot.requests.sorted(by: { ($0.key.method, $0.key.outcome) < ($1.key.method, $1.key.outcome) }) {
            out += "mentorlink_rpc_requests_total{method=\"\(key.method)\",outcome=\"\(key.outcome)\"} \(count)\n"
        }
        out += "# HELP mentorlink_rpc_duration_seconds Latency of JSON-RPC calls.\n"
        out += "# TYPE mentorlink_rpc_duration_seconds histogram\n"
        var cumulative = 0
        for (bound, count) in zip(Self.buckets, snapshot.bucketCounts) {
            cumulative += count
            out += "mentorlink_rpc_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "mentorlink_rpc_duration_seconds_bucket{le=\"+Inf\"} \(snapshot.latencyCount)\n"
        out += "mentorlink_rpc_duration_seconds_sum \(snapshot.latencySum)\n"
        out += "mentorlink_rpc_duration_seconds_count \(snapshot.latencyCount)\n"
        out += "# HELP mentorlink_open_connections Open connections by kind.\n"
        out += "# TYPE mentorlink_open_connections gauge\n"
        out += "mentorlink_open_connections{kind=\"http\"} \(snapshot.httpConnections)\n"
        out += "mentorlink_open_connections{kind=\"websocket\"} \(snapshot.webSocketConnections)\n"
        return out
    }
}

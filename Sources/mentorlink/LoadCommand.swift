import ArgumentParser
import Foundation
import MentorLinkClient
import Synchronization

/// `mentorlink load`: a small closed-loop load client on keep-alive connections to a worker socket or nginx,
/// printing requests/s and latency percentiles as one JSON line (used by `scripts/bench rpc`).
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Measure JSON-RPC throughput and latency.")

    @Option(help: "Unix socket of a worker.")
    var socket: String?

    @Option(help: "TCP port on 127.0.0.1 (nginx).")
    var port: UInt16?

    @Option(help: "Concurrent keep-alive connections.")
    var connections: Int = 64

    @Option(help: "Seconds to run.")
    var duration: Double = 10

    @Option(help: "Method to call.")
    var method: String = "system.ping"

    func run() throws {
        let endpoint: SocketConnection.Endpoint = socket.map { .unix($0) } ?? .tcp(host: "127.0.0.1", port: port ?? 8080)
        let body = Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)"}"#.utf8)
        let request = HTTPConnection.encode("POST", "/rpc", headers: ["Content-Type": "application/json"], body: body)
        let deadline = Date().addingTimeInterval(duration)
        let results = Mutex<(latencies: [Double], errors: Int)>(([], 0))
        let done = DispatchGroup()
        for _ in 0..<connections {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                var local: [Double] = []
                var errors = 0
                var connection = try? HTTPConnection(endpoint)
                while Date() < deadline {
                    guard let current = connection else {
                        errors += 1
                        connection = try? HTTPConnection(endpoint)
                        continue
                    }
                    let start = DispatchTime.now().uptimeNanoseconds
                    do {
                        try current.socket.write(request)
                        let reply = try current.readResponse()
                        if reply.status != 200 { errors += 1 }
                        local.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                    } catch {
                        errors += 1
                        connection = try? HTTPConnection(endpoint)
                    }
                }
                results.withLock {
                    $0.latencies += local
                    $0.errors += errors
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        done.wait()
        let (latencies, errors) = results.withLock { ($0.latencies.sorted(), $0.errors) }
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        let summary: [String: Any] = [
            "requests": latencies.count,
            "errors": errors,
            "rps": Double(latencies.count) / duration,
            "p50_ms": percentile(0.50),
            "p99_ms": percentile(0.99),
        ]
        let text = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
        print(String(decoding: text, as: UTF8.self))
    }
}

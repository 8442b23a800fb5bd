import ArgumentParser
import Foundation
import MentorLinkClient
import Synchronization

/// `mentorlink load`: a small closed-loop load client on keep-alive connections to a worker socket or nginx,
/// printing requests/s and latency percentiles as one JSON line (used by `scripts/bench`).
///
/// Scenarios: `call` (one method, default `system.ping`), `login` (`identity.login` with `--email/--password`),
/// `refresh` (each connection signs in once, then rotates its own refresh token in a chain), and `lines` (requests
/// from `--lines FILE`, one per line as `BODY` or `TOKEN<TAB>BODY`, taken in order by all connections; each is sent
/// once unless `--cycle`). JSON-RPC errors count as errors and are tallied by reason.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Measure JSON-RPC throughput and latency.")

    enum Scenario: String, ExpressibleByArgument, CaseIterable { case call, login, refresh, lines }

    @Option(help: "Unix socket of a worker.") var socket: String?

    @Option(help: "TCP port on 127.0.0.1 (nginx).") var port: UInt16?

    @Option(help: "Concurrent keep-alive connections.") var connections: Int = 64

    @Option(help: "Seconds to run.") var duration: Double = 10

    @Option(help: "call, login or refresh.") var scenario: Scenario = .call

    @Option(help: "Method for the call scenario.") var method: String = "system.ping"

    @Option(help: "Account for the login and refresh scenarios.") var email: String = ""

    @Option(help: "Password for the login and refresh scenarios.") var password: String = ""

    @Option(help: "Requests for the lines scenario: BODY or TOKEN<TAB>BODY per line.") var lines: String?

    @Flag(help: "Lines scenario: start over at the end instead of stopping.") var cycle = false

    @Option(help: "Lines scenario: the path to POST to.") var path: String = "/rpc"

    @Option(help: "Lines scenario: send each line's first column in this header instead of `Authorization: Bearer`.") var tokenHeader: String?

    func run() throws {
        let endpoint: SocketConnection.Endpoint = socket.map { .unix($0) } ?? .tcp(host: "127.0.0.1", port: port ?? 8080)
        let deadline = Date().addingTimeInterval(duration)
        let results = Mutex<(latencies: [Double], errors: Int, reasons: [String: Int])>(([], 0, [:]))
        let done = DispatchGroup()
        let scenario = self.scenario
        let method = self.method
        let email = self.email
        let password = self.password
        let cycle = self.cycle
        let path = self.path
        let tokenHeader = self.tokenHeader
        let requests = try LoadSession.readLines(lines)
        let next = Atomic<Int>(0)
        let started = Date()
        for _ in 0..<connections {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                var session = LoadSession(scenario: scenario, method: method, email: email, password: password)
                var local: [Double] = []
                var errors = 0
                var reasons: [String: Int] = [:]
                var connection = try? HTTPConnection(endpoint)
                while Date() < deadline {
                    var line: (token: String?, body: [UInt8])?
                    if scenario == .lines {
                        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard !requests.isEmpty, cycle || index < requests.count else { break }
                        line = requests[index % requests.count]
                    }
                    guard let current = connection else {
                        errors += 1
                        Thread.sleep(forTimeInterval: 0.01)
                        connection = try? HTTPConnection(endpoint)
                        continue
                    }
                    do {
                        if let setup = session.setupRequest() {
                            session.absorb(try current.request("POST", "/rpc", headers: ["Content-Type": "application/json"], body: setup))
                            continue
                        }
                        var headers = ["Content-Type": "application/json"]
                        if let token = line?.token {
                            if let tokenHeader { headers[tokenHeader] = token } else { headers["Authorization"] = "Bearer \(token)" }
                        }
                        let start = DispatchTime.now().uptimeNanoseconds
                        let reply = try current.request("POST", path, headers: headers, body: line?.body ?? session.request())
                        local.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                        let reason = LoadSession.reason(reply)
                        reasons[reason, default: 0] += 1
                        if !session.absorb(reply) || (scenario == .lines && reason != "ok") { errors += 1 }
                    } catch {
                        errors += 1
                        connection = try? HTTPConnection(endpoint)
                    }
                }
                results.withLock {
                    $0.latencies += local
                    $0.errors += errors
                    $0.reasons.merge(reasons, uniquingKeysWith: +)
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        done.wait()
        let elapsed = min(Date().timeIntervalSince(started), duration)
        let (latencies, errors, reasons) = results.withLock { ($0.latencies.sorted(), $0.errors, $0.reasons) }
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        let summary: [String: Any] = [
            "requests": latencies.count, "errors": errors, "rps": Double(latencies.count) / elapsed, "seconds": elapsed, "outcomes": reasons,
            "p50_ms": percentile(0.50), "p95_ms": percentile(0.95), "p99_ms": percentile(0.99),
        ]
        let text = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
        print(String(decoding: text, as: UTF8.self))
    }
}

/// One connection's state in a scenario: what to send next, and whether a reply was a success.
struct LoadSession {
    let scenario: LoadCommand.Scenario
    let method: String
    let email: String
    let password: String
    var refreshToken: String?

    init(scenario: LoadCommand.Scenario, method: String, email: String, password: String) {
        self.scenario = scenario
        self.method = method
        self.email = email
        self.password = password
    }

    private var loginBody: [UInt8] {
        let params = (try? JSONSerialization.data(withJSONObject: ["email": email, "password": password, "returnRefreshToken": true])) ?? Data()
        return Array(#"{"jsonrpc":"2.0","id":1,"method":"identity.login","params":"#.utf8) + Array(params) + Array("}".utf8)
    }

    /// A request to send before measuring (the refresh scenario signs in first).
    func setupRequest() -> [UInt8]? { scenario == .refresh && refreshToken == nil ? loginBody : nil }

    /// The measured request.
    func request() -> [UInt8] {
        switch scenario {
        case .call, .lines: Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)"}"#.utf8)
        case .login: loginBody
        case .refresh: Array(#"{"jsonrpc":"2.0","id":1,"method":"identity.refresh","params":{"refreshToken":"\#(refreshToken ?? "")"}}"#.utf8)
        }
    }

    /// The requests of the lines scenario.
    static func readLines(_ path: String?) throws -> [(token: String?, body: [UInt8])] {
        guard let path else { return [] }
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), Array(parts[1].utf8)) : (nil, Array(line.utf8))
        }
    }

    /// `ok`, a JSON-RPC error's `data.reason` (or `code N`), a webhook's `outcome`, or `http N`.
    static func reason(_ reply: HTTPReply) -> String {
        guard reply.status == 200 else { return "http \(reply.status)" }
        if let object = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any], let outcome = object["outcome"] as? String {
            return outcome == "granted" ? "ok" : outcome
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any], let error = object["error"] as? [String: Any]
        else { return "ok" }
        return ((error["data"] as? [String: Any])?["reason"] as? String) ?? "code \(error["code"] ?? "?")"
    }

    /// Reads a reply; returns whether it was a successful result.
    @discardableResult mutating func absorb(_ reply: HTTPReply) -> Bool {
        guard reply.status == 200 else { return false }
        guard scenario != .call, scenario != .lines else { return true }
        guard let object = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any],
            let result = object["result"] as? [String: Any]
        else {
            refreshToken = nil
            return false
        }
        if let token = result["refreshToken"] as? String { refreshToken = token }
        return true
    }
}

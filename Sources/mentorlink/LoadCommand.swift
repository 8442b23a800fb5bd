import ArgumentParser
import Foundation
import MentorLinkClient
import Synchronization

/// `mentorlink load`: a small closed-loop load client on keep-alive connections to a worker socket or nginx,
/// printing requests/s and latency percentiles as one JSON line (used by `scripts/bench`).
///
/// Scenarios: `call` (one method, default `system.ping`), `login` (`identity.login` with `--email/--password`), and
/// `refresh` (each connection signs in once, then rotates its own refresh token in a chain).
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Measure JSON-RPC throughput and latency.")

    enum Scenario: String, ExpressibleByArgument, CaseIterable {
        case call, login, refresh
    }

    @Option(help: "Unix socket of a worker.")
    var socket: String?

    @Option(help: "TCP port on 127.0.0.1 (nginx).")
    var port: UInt16?

    @Option(help: "Concurrent keep-alive connections.")
    var connections: Int = 64

    @Option(help: "Seconds to run.")
    var duration: Double = 10

    @Option(help: "call, login or refresh.")
    var scenario: Scenario = .call

    @Option(help: "Method for the call scenario.")
    var method: String = "system.ping"

    @Option(help: "Account for the login and refresh scenarios.")
    var email: String = ""

    @Option(help: "Password for the login and refresh scenarios.")
    var password: String = ""

    func run() throws {
        let endpoint: SocketConnection.Endpoint = socket.map { .unix($0) } ?? .tcp(host: "127.0.0.1", port: port ?? 8080)
        let deadline = Date().addingTimeInterval(duration)
        let results = Mutex<(latencies: [Double], errors: Int)>(([], 0))
        let done = DispatchGroup()
        let scenario = self.scenario, method = self.method, email = self.email, password = self.password
        for _ in 0..<connections {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                var session = LoadSession(scenario: scenario, method: method, email: email, password: password)
                var local: [Double] = []
                var errors = 0
                var connection = try? HTTPConnection(endpoint)
                while Date() < deadline {
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
                        let start = DispatchTime.now().uptimeNanoseconds
                        let reply = try current.request("POST", "/rpc", headers: ["Content-Type": "application/json"], body: session.request())
                        local.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                        if !session.absorb(reply) { errors += 1 }
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
    func setupRequest() -> [UInt8]? {
        scenario == .refresh && refreshToken == nil ? loginBody : nil
    }

    /// The measured request.
    func request() -> [UInt8] {
        switch scenario {
        case .call: Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)"}"#.utf8)
        case .login: loginBody
        case .refresh: Array(#"{"jsonrpc":"2.0","id":1,"method":"identity.refresh","params":{"refreshToken":"\#(refreshToken ?? "")"}}"#.utf8)
        }
    }

    /// Reads a reply; returns whether it was a successful result.
    @discardableResult
    mutating func absorb(_ reply: HTTPReply) -> Bool {
        guard reply.status == 200 else { return false }
        guard scenario != .call else { return true }
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

import ArgumentParser
import Foundation
import Logging
import MentorLinkClient
import MentorLinkCore
import RedisAdapter
import Synchronization

/// `mentorlink bench-fanout`: N WebSocket subscribers spread over the worker sockets, one publisher on the event bus;
/// prints delivery latency percentiles, deliveries per second, and the workers' memory per idle connection, as JSON.
struct FanoutBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-fanout", abstract: "Measure pub/sub fan-out over the worker sockets.")

    @Option(help: "Subscribers.") var subscribers: Int = 1000

    @Option(help: "Events to publish.") var events: Int = 200

    @Option(help: "Milliseconds between published events.") var intervalMs: Int = 20

    @Option(help: "Worker sockets to spread over.") var workers: Int = 2

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        var logger = config.makeLogger("mentorlink.bench-fanout")
        logger.logLevel = .warning
        let mentorId = UUID()
        let mentor = mentorId.uuidString.lowercased()
        let channel = Channels.availability(mentorId: mentorId)
        let rssBefore = Self.workerRSS()
        let ready = DispatchGroup()
        let done = DispatchGroup()
        let latencies = Mutex<[Double]>([])
        let failures = Mutex(0)
        let (events, subscribers, workers, runDirectory) = (self.events, self.subscribers, self.workers, config.runDirectory)
        for index in 0..<subscribers {
            ready.enter()
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                var signalled = false
                defer { if !signalled { ready.leave() } }
                do {
                    let client = try RPCWebSocketClient(.unix("\(runDirectory)/worker-\(index % workers).sock"), timeout: 60)
                    let subscribed = try client.call("availability.subscribe", #"{"mentorId":"\#(mentor)"}"#)
                    guard subscribed["result"] != nil else {
                        failures.withLock { $0 += 1 }
                        return
                    }
                    ready.leave()
                    signalled = true
                    var local: [Double] = []
                    local.reserveCapacity(events)
                    // Read frames raw and pick out the stamp: the client should not be what is measured.
                    while local.count < events {
                        guard case .text(let text) = try client.socket.receive(), let range = text.range(of: #""sentAt":"#) else { continue }
                        let digits = text[range.upperBound...].prefix { $0.isNumber || $0 == "." }
                        local.append((Date().timeIntervalSince1970 - (Double(digits) ?? 0)) * 1000)
                    }
                    latencies.withLock { $0 += local }
                } catch { failures.withLock { $0 += 1 } }
            }
            thread.stackSize = 256 << 10
            thread.start()
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                ready.wait()
                continuation.resume()
            }
        }
        FileHandle.standardError.write(Data("subscribed: \(subscribers - failures.withLock { $0 }) of \(subscribers)\n".utf8))
        try await Task.sleep(for: .seconds(2))
        let rssIdle = Self.workerRSS()
        let redis = RedisClient(address: try RedisAddress(config.redisURL), logger: logger)
        let bus = RedisEventBus(
            client: redis, subscriber: RedisSubscriber(address: try RedisAddress(config.redisURL), logger: logger), logger: logger)
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await redis.run() }
            defer { group.cancelAll() }
            for _ in 0..<events {
                try await bus.publish(channel: channel, event: Array(#"{"type":"bench","sentAt":\#(Date().timeIntervalSince1970)}"#.utf8))
                try await Task.sleep(for: .milliseconds(intervalMs))
            }
        }
        FileHandle.standardError.write(Data("published \(events) events\n".utf8))
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                done.wait()
                continuation.resume()
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        let sorted = latencies.withLock { $0.sorted() }
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        let perConnection = subscribers > 0 ? Double(rssIdle - rssBefore) / Double(subscribers) : 0
        let summary: [String: Any] = [
            "subscribers": subscribers, "events": events, "deliveries": sorted.count, "failures": failures.withLock { $0 }, "p50_ms": percentile(0.5),
            "p99_ms": percentile(0.99), "max_ms": sorted.last ?? 0, "deliveries_per_s": Double(sorted.count) / elapsed, "rss_before_kib": rssBefore,
            "rss_idle_kib": rssIdle, "kib_per_connection": perConnection,
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
    }

    /// Total resident memory of the `mentorlink worker` processes, in KiB.
    static func workerRSS() -> Int {
        var total = 0
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(entry) != nil {
            guard let cmdline = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8), cmdline.contains("mentorlink\u{0}worker"),
                let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
            else { continue }
            total += Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return total
    }
}

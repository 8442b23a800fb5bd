import Foundation
import IdentityService
import JSONRPC
import Logging
import MentorLinkClient
import MentorLinkCore
import RedisAdapter
import Testing

/// Pub/sub on the worker sockets with mock clients on different workers: availability changes and notifications
/// reach a subscriber on another worker, a reconnect with `sinceSeq` replays what it missed (or says it cannot),
/// and the limits hold.
@Suite(.timeLimit(.minutes(2))) struct RealtimeTests {
    func socket(_ worker: Int) throws -> SocketConnection.Endpoint {
        .unix("\(try TestEnvironment.runDirectory())/worker-\(worker % TestEnvironment.workers()).sock")
    }

    func http(_ worker: Int, _ token: String, _ method: String, _ params: String) throws -> [String: Any] {
        try StackUsers.call(try HTTPConnection(try socket(worker)), token: token, method, params)
    }

    let everyDay = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { #"{"day":"\#($0)","start":"09:00","end":"17:00"}"# }.joined(separator: ",")

    @Test func availabilityChangesCrossWorkersAndReplayOnReconnect() async throws {
        try await StackUsers.with { users in
            let mentor = try await users.make(.mentor)
            let channel = "availability:\(mentor.id.uuidString.lowercased())"
            let lastSeq: Int64 = try await TestEnvironment.offThePool {
                let listener = try RPCWebSocketClient(try socket(1))
                let subscribed = try #require(listener.call("availability.subscribe", #"{"mentorId":"\#(mentor.id)"}"#)["result"] as? [String: Any])
                let start = (subscribed["seq"] as? NSNumber)?.int64Value ?? -1
                // The change happens on worker 0; the subscriber is on worker 1.
                _ = try http(0, mentor.token, "availability.set", #"{"timeZone":"UTC","weekly":[\#(everyDay)]}"#)
                let pushed = try listener.nextNotification()
                #expect(pushed["channel"] as? String == channel && pushed["subscription"] as? String == subscribed["subscription"] as? String)
                #expect((pushed["seq"] as? NSNumber)?.int64Value == start + 1)
                let event = try #require(pushed["event"] as? [String: Any])
                #expect(event["type"] as? String == "availability.changed" && event["reason"] as? String == "rules.changed")
                return start + 1
            }
            // Two changes while nobody listens; a reconnect on the other worker gets both, in order.
            try await TestEnvironment.offThePool {
                for _ in 0..<2 { _ = try http(1, mentor.token, "availability.set", #"{"timeZone":"UTC","weekly":[\#(everyDay)]}"#) }
                let again = try RPCWebSocketClient(try socket(0))
                let resumed = try #require(
                    again.call("availability.subscribe", #"{"mentorId":"\#(mentor.id)","sinceSeq":\#(lastSeq)}"#)["result"] as? [String: Any])
                #expect(resumed["recovered"] as? Bool == true)
                let first = try again.nextNotification()
                let second = try again.nextNotification()
                #expect((first["seq"] as? NSNumber)?.int64Value == lastSeq + 1 && (second["seq"] as? NSNumber)?.int64Value == lastSeq + 2)
            }
            // More than the kept history later: an explicit recovered:false, no silent gap.
            let redis = RedisClient(address: .unix(path: "\(try TestEnvironment.runDirectory())/redis.sock"), logger: TestEnvironment.logger)
            let bus = RedisEventBus(
                client: redis,
                subscriber: RedisSubscriber(address: .unix(path: "\(try TestEnvironment.runDirectory())/redis.sock"), logger: TestEnvironment.logger),
                logger: TestEnvironment.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await redis.run() }
                defer { group.cancelAll() }
                for index in 0..<(bus.historyLength + 5) {
                    try await bus.publish(channel: channel, event: Array(#"{"type":"test","n":\#(index)}"#.utf8))
                }
            }
            try await TestEnvironment.offThePool {
                let late = try RPCWebSocketClient(try socket(1))
                let resumed = try #require(
                    late.call("availability.subscribe", #"{"mentorId":"\#(mentor.id)","sinceSeq":\#(lastSeq + 2)}"#)["result"] as? [String: Any])
                #expect(resumed["recovered"] as? Bool == false)
                #expect((resumed["seq"] as? NSNumber)?.int64Value == lastSeq + 2 + Int64(bus.historyLength + 5))
            }
        }
    }

    @Test func bookingNotifiesBothSidesThroughKafka() async throws {
        try await StackUsers.with { users in
            let mentor = try await users.make(.mentor)
            let mentee = try await users.make(.mentee)
            try await TestEnvironment.offThePool {
                _ = try http(0, mentor.token, "availability.set", #"{"timeZone":"UTC","weekly":[\#(everyDay)]}"#)
                let inbox = try RPCWebSocketClient(try socket(1), headers: ["Authorization": "Bearer \(mentee.token)"])
                let subscribed = try inbox.call("notifications.subscribe", "{}")
                #expect((subscribed["result"] as? [String: Any])?["channel"] as? String == "user:\(mentee.id.uuidString.lowercased())")
                let day = Date().addingTimeInterval(3 * 86_400).formatted(Date.ISO8601FormatStyle().year().month().day())
                let booked = try http(0, mentee.token, "booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(day)T10:00:00Z","minutes":60}"#)
                #expect(booked["result"] != nil, "\(booked)")
                // outbox → relay → Kafka → consumer → notifications row → the mentee's channel → this socket.
                let pushed = try inbox.nextNotification()
                let event = try #require(pushed["event"] as? [String: Any])
                #expect(event["type"] as? String == "notification")
                #expect((event["notification"] as? [String: Any])?["type"] as? String == "booking.created")
                let listed = try http(1, mentee.token, "notifications.list", #"{"unreadOnly":true}"#)
                let items = try #require((listed["result"] as? [String: Any])?["items"] as? [[String: Any]])
                #expect(items.count == 1)
                #expect((listed["result"] as? [String: Any])?["unreadCount"] as? Int == 1)
                let read = try http(0, mentee.token, "notifications.markRead", #"{"ids":[\#(items[0]["id"] as? Int ?? 0)]}"#)
                #expect((read["result"] as? [String: Any])?["updated"] as? Int == 1)
                let after = try http(1, mentee.token, "notifications.list", "{}")
                #expect((after["result"] as? [String: Any])?["unreadCount"] as? Int == 0)
                let mentorInbox = try http(0, mentor.token, "notifications.list", "{}")
                #expect(((mentorInbox["result"] as? [String: Any])?["items"] as? [[String: Any]])?.count == 1)
            }
        }
    }

    @Test func refusalsAndLimits() async throws {
        try await StackUsers.with { users in
            let mentor = try await users.make(.mentor)
            try await TestEnvironment.offThePool {
                let overHTTP = try http(0, mentor.token, "availability.subscribe", #"{"mentorId":"\#(mentor.id)"}"#)
                #expect(((overHTTP["error"] as? [String: Any])?["data"] as? [String: Any])?["reason"] as? String == "websocket_required")
                let anonymous = try RPCWebSocketClient(try socket(0))
                let refused = try anonymous.call("notifications.subscribe", "{}")
                #expect(((refused["error"] as? [String: Any])?["data"] as? [String: Any])?["reason"] as? String == "unauthenticated")
                var last: [String: Any] = [:]
                for _ in 0..<51 { last = try anonymous.call("availability.subscribe", #"{"mentorId":"\#(mentor.id)"}"#) }
                #expect(((last["error"] as? [String: Any])?["data"] as? [String: Any])?["reason"] as? String == "too_many_subscriptions")
                let unknown = try anonymous.call("availability.unsubscribe", #"{"subscription":"nope"}"#)
                #expect(((unknown["error"] as? [String: Any])?["data"] as? [String: Any])?["reason"] as? String == "not_found")
            }
        }
    }

    @Test func aRevokedSessionEndsTheSocket() async throws {
        try await StackUsers.with { users in
            let user = try await BookingHarness.insertUser(.mentee, name: "Revoked", on: users.client)
            let session = UUID()
            let (token, _) = try await users.tokens.issue(
                for: User(id: user.id, email: "x@example.com", name: "x", roles: [.mentee]), sessionId: session)
            let redisSocket = "\(try TestEnvironment.runDirectory())/redis.sock"
            try await TestEnvironment.offThePool {
                let client = try RPCWebSocketClient(try socket(0), headers: ["Authorization": "Bearer \(token)"])
                #expect(try client.call("notifications.subscribe", "{}")["result"] != nil)
                // Logout elsewhere: the session id lands in the revocation list every worker reads.
                let revoke = Process()
                revoke.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
                revoke.arguments = ["-s", redisSocket, "SET", "revoked:sid:\(session.uuidString)", "1", "EX", "60"]
                try revoke.run()
                revoke.waitUntilExit()
                Thread.sleep(forTimeInterval: 2.2)  // the workers trust their revocation answers for 2 s
                #expect(throws: (any Error).self) { _ = try client.call("system.ping", "{}") }
            }
        }
    }
}

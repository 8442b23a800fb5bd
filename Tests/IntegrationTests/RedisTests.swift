import Foundation
import RedisAdapter
import Testing

@Suite(.timeLimit(.minutes(1))) struct RedisTests {
    func address() throws -> RedisAddress { .unix(path: "\(try TestEnvironment.runDirectory())/redis.sock") }

    @Test func commandsAndPipelining() async throws {
        let client = RedisClient(address: try address(), logger: TestEnvironment.logger)
        let key = "test:\(UUID().uuidString)"
        try await client.send("SET", key, "héllo")
        #expect(try await client.send("GET", key).string == "héllo")
        let replies = try await client.pipeline((1...100).map { _ in ["INCR", key + ":n"] })
        #expect(replies.map(\.integer) == (1...100).map { Int64($0) })
        let mixed = try await client.pipeline([["PING"], ["NOSUCHCOMMAND"], ["GET", key + ":missing"]])
        #expect(mixed[0] == .simpleString("PONG"))
        if case .error = mixed[1] {} else { Issue.record("expected an error reply") }
        #expect(mixed[2] == .bulk(nil))
        await #expect(throws: RedisAdapterError.self) { try await client.send("NOSUCHCOMMAND") }
        try await client.check()
    }

    @Test func concurrentCallersShareOneConnection() async throws {
        let client = RedisClient(address: try address(), logger: TestEnvironment.logger)
        let key = "test:\(UUID().uuidString)"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 { group.addTask { try await client.send("INCR", key) } }
            try await group.waitForAll()
        }
        #expect(try await client.send("GET", key).string == "200")
    }

    @Test func publishReachesSubscriber() async throws {
        let subscriber = RedisSubscriber(address: try address(), logger: TestEnvironment.logger)
        let publisher = RedisClient(address: try address(), logger: TestEnvironment.logger)
        let channel = "test:chan:\(UUID().uuidString)"
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await subscriber.run() }
            try await subscriber.subscribe(channel)
            for _ in 0..<100 where !subscriber.isSubscribed(channel) { try await Task.sleep(for: .milliseconds(20)) }
            #expect(subscriber.isSubscribed(channel))
            #expect(try await publisher.send("PUBLISH", channel, "one") == .integer(1))
            try await publisher.send("PUBLISH", channel, "two")
            var received: [String] = []
            for await message in subscriber.messages {
                #expect(message.channel == channel)
                received.append(String(decoding: message.payload, as: UTF8.self))
                if received.count == 2 { break }
            }
            #expect(received == ["one", "two"])
            group.cancelAll()
        }
    }

    @Test func addressParsing() throws {
        #expect(try RedisAddress("unix:///tmp/r.sock") == .unix(path: "/tmp/r.sock"))
        #expect(try RedisAddress("redis://cache:6380") == .tcp(host: "cache", port: 6380))
        #expect(try RedisAddress("redis://cache") == .tcp(host: "cache", port: 6379))
        #expect(throws: RedisAdapterError.self) { try RedisAddress("http://x") }
    }
}

import Foundation
import KafkaAdapter
import MentorLinkCore
import Testing

@Suite(.timeLimit(.minutes(2))) struct KafkaTests {
    @Test func producedMessagesReachAConsumerGroup() async throws {
        let brokers = try TestEnvironment.kafkaBrokers()
        let topic = "test-\(UUID().uuidString.prefix(8))"
        let producer = try KafkaProducer(brokers: brokers, logger: TestEnvironment.logger)
        try await producer.check()
        for index in 0..<5 { try await producer.send(topic: topic, key: Array("k\(index)".utf8), value: Array("v\(index)".utf8)) }
        let consumer = try KafkaConsumer(brokers: brokers, groupId: "g-\(topic)", topics: [topic], logger: TestEnvironment.logger)
        defer { consumer.close() }
        var values: [String] = []
        for await message in consumer.records {
            values.append(String(decoding: message.value, as: UTF8.self))
            #expect(String(decoding: message.key, as: UTF8.self) == "k" + String(values.last!.dropFirst()))
            try consumer.commit(message)
            if values.count == 5 { break }
        }
        #expect(values.sorted() == ["v0", "v1", "v2", "v3", "v4"])
    }

    @Test func unreachableBrokerFailsTheHealthCheck() async throws {
        let producer = try KafkaProducer(
            brokers: "127.0.0.1:9", logger: TestEnvironment.logger, extra: ["socket.connection.setup.timeout.ms": "1000"])
        await #expect(throws: KafkaError.self) { try await producer.check() }
    }

    @Test func badConfigurationIsAClearError() {
        #expect(throws: KafkaError.self) { try KafkaProducer(brokers: "x", logger: TestEnvironment.logger, extra: ["no.such.setting": "1"]) }
    }
}

import EventPipeline
import Foundation
import JSONRPC
import KafkaAdapter
import MailAdapter
import MentorLinkCore
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import Synchronization
import Testing

/// outbox → relay → Kafka (the dev broker) → notifications consumer, against a fresh database and topics of its
/// own: a relay that dies between publishing and marking causes no duplicate notification, and a Kafka outage
/// loses nothing.
@Suite(.timeLimit(.minutes(2))) struct EventPipelineTests {
    /// An in-memory bus that records what the consumer pushes.
    final class RecordingBus: EventBus {
        let published = Mutex<[MentorLinkCore.ChannelEvent]>([])
        func publish(channel: String, event: [UInt8]) async throws -> Int64 {
            published.withLock {
                $0.append(MentorLinkCore.ChannelEvent(channel: channel, seq: Int64($0.count + 1), event: event))
                return Int64($0.count)
            }
        }
        func history(channel: String, after seq: Int64) async throws -> ChannelHistory { ChannelHistory(events: [], recovered: true, latest: 0) }
        func listen(channel: String, _ handler: @escaping @Sendable (MentorLinkCore.ChannelEvent) -> Void) async throws -> ListenerToken {
            ListenerToken(channel: channel, id: 0)
        }
        func stopListening(_ token: ListenerToken) async {}
    }

    struct Killed: Error {}

    /// Books a session, so the outbox holds `booking.created` (and the profile and rules events before it).
    func bookSomething(_ harness: BookingHarness) async throws -> (BookingHarness.User, BookingHarness.User) {
        let mentor = try await harness.mentor()
        let mentee = try await harness.user(.mentee)
        try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T10:00:00Z","minutes":60}"#, as: mentee)
        return (mentor, mentee)
    }

    /// Consumes `prefix` topics until `count` messages of `type` were seen (or 30 s passed), handling each.
    func consume(prefix: String, type: String, count: Int, handler: NotificationConsumer) async throws -> Int {
        let consumer = try KafkaConsumer(
            brokers: try TestEnvironment.kafkaBrokers(), groupId: "g-\(prefix)", topics: NotificationConsumer.aggregates.map { prefix + $0 },
            logger: TestEnvironment.logger, extra: ["auto.offset.reset": "earliest"])
        defer { consumer.close() }
        var seen = 0
        let deadline = Date().addingTimeInterval(30)
        for await message in consumer.records {
            try await handler.handle(message.value)
            try consumer.commit(message)
            if String(decoding: message.value, as: UTF8.self).contains(#""type":"\#(type)""#) { seen += 1 }
            if seen >= count || Date() > deadline { break }
        }
        return seen
    }

    @Test func relayKilledBetweenPublishAndMarkNotifiesOnce() async throws {
        try await BookingHarness.with { harness in
            let (mentor, mentee) = try await bookSomething(harness)
            let prefix = "t\(UUID().uuidString.prefix(8).lowercased())."
            let producer = try KafkaProducer(brokers: try TestEnvironment.kafkaBrokers(), logger: TestEnvironment.logger)
            let outbox = PostgresOutbox(pool: harness.pool, logger: TestEnvironment.logger)
            let relay = OutboxRelay(outbox: outbox, sink: producer, topicPrefix: prefix, logger: TestEnvironment.logger)
            let pending = try await outbox.pending()
            #expect(pending >= 3)
            // A relay publishes everything, then dies before marking the rows sent.
            await #expect(throws: Killed.self) {
                _ = try await outbox.relay(limit: 100) { events in
                    for event in events {
                        try await producer.send(
                            topic: prefix + event.aggregate, key: Array(event.aggregateId.utf8), value: OutboxRelay.message(event))
                    }
                    throw Killed()
                }
            }
            #expect(try await outbox.pending() == pending)
            // The next relay publishes them again and marks them.
            #expect(try await relay.relayOnce() == pending)
            #expect(try await outbox.pending() == 0)
            let bus = RecordingBus()
            let handler = NotificationConsumer(
                store: PostgresNotificationStore(pool: harness.pool, logger: TestEnvironment.logger), bus: bus, logger: TestEnvironment.logger)
            #expect(try await consume(prefix: prefix, type: "booking.created", count: 2, handler: handler) == 2)
            // Two deliveries of the same event: one notification each for mentor and mentee, pushed once each.
            #expect(try await harness.count("SELECT count(*)::int FROM notifications WHERE type = 'booking.created'") == 2)
            #expect(try await harness.count("SELECT count(*)::int FROM notifications WHERE user_id = \(mentor.id)") == 1)
            #expect(try await harness.count("SELECT count(*)::int FROM notifications WHERE user_id = \(mentee.id)") == 1)
            #expect(bus.published.withLock { $0.count } == 2)
        }
    }

    @Test func kafkaDownLosesNothing() async throws {
        try await BookingHarness.with { harness in
            _ = try await bookSomething(harness)
            let outbox = PostgresOutbox(pool: harness.pool, logger: TestEnvironment.logger)
            let prefix = "t\(UUID().uuidString.prefix(8).lowercased())."
            let down = try KafkaProducer(
                brokers: "127.0.0.1:9", logger: TestEnvironment.logger,
                extra: ["message.timeout.ms": "1500", "socket.connection.setup.timeout.ms": "1000"])
            let pending = try await outbox.pending()
            await #expect(throws: (any Error).self) {
                _ = try await OutboxRelay(outbox: outbox, sink: down, topicPrefix: prefix, logger: TestEnvironment.logger).relayOnce()
            }
            // Business transactions keep committing while Kafka is away.
            let mentee = try await harness.user(.mentee)
            let mentor = try await harness.mentor(name: "Second")
            try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T11:00:00Z","minutes":60}"#, as: mentee)
            let waiting = try await outbox.pending()
            #expect(waiting > pending)
            // Kafka is back: the outbox drains, everything in order.
            let up = try KafkaProducer(brokers: try TestEnvironment.kafkaBrokers(), logger: TestEnvironment.logger)
            let relay = OutboxRelay(outbox: outbox, sink: up, topicPrefix: prefix, logger: TestEnvironment.logger)
            var sent = 0
            while try await outbox.pending() > 0 { sent += try await relay.relayOnce() }
            #expect(sent == waiting)
        }
    }

    @Test func emailsGoToTheMaildirOnceWithBothParts() async throws {
        try await BookingHarness.with { harness in
            _ = try await bookSomething(harness)
            let outbox = PostgresOutbox(pool: harness.pool, logger: TestEnvironment.logger)
            let captured = Mutex<[[UInt8]]>([])
            _ = try await outbox.relay(limit: 100) { events in
                captured.withLock { $0 = events.filter { $0.type == "booking.created" }.map(OutboxRelay.message) }
            }
            let message = try #require(captured.withLock { $0.first })
            let root = NSTemporaryDirectory() + "maildir-\(UUID().uuidString.prefix(8))"
            defer { try? FileManager.default.removeItem(atPath: root) }
            let consumer = EmailConsumer(
                store: PostgresNotificationStore(pool: harness.pool, logger: TestEnvironment.logger), mailer: try MaildirMailer(root: root),
                unsubscribeBase: "http://127.0.0.1:8080/unsubscribe", logger: TestEnvironment.logger)
            #expect(try await consumer.handle(message) == 2)
            #expect(try await consumer.handle(message) == 0)  // redelivered: nothing twice
            let files = try FileManager.default.contentsOfDirectory(atPath: "\(root)/new")
            #expect(files.count == 2)
            let mail = try String(contentsOfFile: "\(root)/new/\(files[0])", encoding: .utf8)
            #expect(mail.contains("Content-Type: text/plain") && mail.contains("Content-Type: text/html"))
            #expect(
                mail.contains("List-Unsubscribe: <http://127.0.0.1:8080/unsubscribe?user=") && mail.contains("Subject: MentorLink: Session booked"))
        }
    }

    @Test func smtpDeliveryToARealServer() async throws {
        // Python's standard-library SMTP server (Debian's python3), printing what it receives.
        let port = Int.random(in: 30_000...39_999)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-W", "ignore", "-u", "-m", "smtpd", "-n", "-c", "DebuggingServer", "127.0.0.1:\(port)"]
        let log = NSTemporaryDirectory() + "smtpd-\(port).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: log) }
        server.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL) }
        let mailer = try #require(SMTPMailer(url: "smtp://127.0.0.1:\(port)"))
        let message = EmailMessage(
            id: "42.user", to: EmailMailbox(name: "Ada", address: try #require(EmailAddress("ada@example.com"))),
            subject: "MentorLink: Session booked", text: "Hello\n.dot line", html: "<p>Hello</p>",
            unsubscribe: "http://127.0.0.1:8080/unsubscribe?user=x")
        var sent = false
        for _ in 0..<50 where !sent { do { sent = try await mailer.deliver(message) } catch { try await Task.sleep(for: .milliseconds(100)) } }
        #expect(sent)
        try await Task.sleep(for: .milliseconds(300))  // the server prints the message as it arrives (-u: unbuffered)
        let printed = try String(contentsOfFile: log, encoding: .utf8)
        #expect(printed.contains("Subject: MentorLink: Session booked") && printed.contains("List-Unsubscribe:"))
        #expect(printed.contains(".dot line"))
        #expect(SMTPMailer(url: "http://nope") == nil)
    }

    @Test func anSMTPServerThatNeverAnswersTimesOut() async throws {
        // A listening socket nobody accepts on: the kernel completes the handshake, then nothing is ever sent.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        #expect(bound)
        let port = UInt16(bigEndian: address.sin_port)
        let mailer = try #require(SMTPMailer(url: "smtp://127.0.0.1:\(port)", timeout: .milliseconds(300)))
        let message = EmailMessage(
            id: "1.user", to: EmailMailbox(name: "Ada", address: try #require(EmailAddress("ada@example.com"))), subject: "Hi", text: "t", html: "h",
            unsubscribe: "http://127.0.0.1:8080/unsubscribe?user=x")
        let started = ContinuousClock.now
        await #expect(throws: EmailError.timedOut) { try await mailer.deliver(message) }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(SMTPMailer(url: "smtp://127.0.0.1:70000") == nil)
    }
}

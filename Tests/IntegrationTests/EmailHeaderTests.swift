import EventPipeline
import Foundation
import MailAdapter
import MentorLinkCore
import Synchronization
import Testing

/// Header injection through display names and addresses: the message builder and the real SMTP path (Python's
/// standard-library SMTP server, which reports each envelope and message as it receives it).
@Suite(.timeLimit(.minutes(2))) struct EmailHeaderTests {
    /// What the SMTP server received: one envelope and message.
    struct Received: Decodable {
        var from: String
        var to: [String]
        var data: String

        /// The header lines (before the first empty line).
        var headerLines: [String] { data.components(separatedBy: "\n").prefix { !$0.isEmpty }.map { String($0) } }
    }

    /// Python's `smtpd` server printing each envelope as one JSON line; runs `body` with its port.
    static func withSMTPServer(_ body: (Int, @Sendable () throws -> [Received]) async throws -> Void) async throws {
        let port = Int.random(in: 40_000...49_999)
        let script = """
            import asyncore, json, smtpd, sys
            class Recorder(smtpd.SMTPServer):
                def process_message(self, peer, mailfrom, rcpttos, data, **kw):
                    print(json.dumps({"from": mailfrom, "to": rcpttos, "data": data}), flush=True)
            Recorder(("127.0.0.1", int(sys.argv[1])), None, decode_data=True)
            asyncore.loop()
            """
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-W", "ignore", "-u", "-c", script, "\(port)"]
        let log = NSTemporaryDirectory() + "smtp-recorder-\(port).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: log) }
        server.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL) }
        // Wait until it accepts connections.
        for _ in 0..<50 {
            if (try? SocketProbe.connect(port: port)) == true { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await body(port) {
            let text = try String(contentsOfFile: log, encoding: .utf8)
            return try text.split(separator: "\n").map { try JSONDecoder().decode(Received.self, from: Data($0.utf8)) }
        }
    }

    static let hostileName = "Eve\r\nBcc: victim@evil.example\r\nX-Injected: yes"

    @Test func hostileDisplayNameOverSMTPStaysInsideTheToHeader() async throws {
        try await Self.withSMTPServer { port, received in
            let mailer = try #require(SMTPMailer(url: "smtp://127.0.0.1:\(port)"))
            let message = EmailMessage(
                id: "7.user", to: EmailMailbox(name: Self.hostileName, address: try #require(EmailAddress("ada@example.com"))),
                subject: "MentorLink: Session booked", text: "Hello", html: "<p>Hello</p>", unsubscribe: "http://127.0.0.1:8080/unsubscribe?user=x")
            #expect(try await mailer.deliver(message))
            let got = try await Self.waitFor(1, received)
            #expect(got.count == 1)
            let mail = try #require(got.first)
            #expect(mail.to == ["ada@example.com"])
            #expect(!mail.headerLines.contains { $0.hasPrefix("Bcc:") || $0.hasPrefix("X-Injected:") })
            let to = mail.headerLines.filter { $0.hasPrefix("To:") }
            #expect(to.count == 1)
            #expect(to.first?.hasSuffix("<ada@example.com>") == true)
        }
    }

    /// A store whose users have hostile names and addresses.
    final class HostileContacts: NotificationStore {
        let people: [UUID: (email: String, name: String)]
        init(people: [UUID: (email: String, name: String)]) { self.people = people }
        let recorded = Mutex<[Int64]>([])
        func handle(eventId: Int64, consumer: String, notifications: [NewNotification]) async throws -> [(UUID, AppNotification)]? {
            recorded.withLock { $0.append(eventId) }
            return []
        }
        func notifications(userId: UUID, unreadOnly: Bool, beforeId: Int64?, limit: Int) async throws -> [AppNotification] { [] }
        func markRead(userId: UUID, ids: [Int64]) async throws -> Int { 0 }
        func unreadCount(userId: UUID, cap: Int) async throws -> Int { 0 }
        func handled(eventId: Int64, consumer: String) async throws -> Bool { recorded.withLock { $0.contains(eventId) } }
        func seatHolders(cancelledWith groupSessionId: UUID) async throws -> [UUID] { [] }
        func contacts(_ ids: [UUID]) async throws -> [UUID: (email: String, name: String)] { people.filter { ids.contains($0.key) } }
    }

    @Test func hostileAddressesNeverReachTheEnvelope() async throws {
        try await Self.withSMTPServer { port, received in
            let mentor = UUID()
            let mentee = UUID()
            let store = HostileContacts(people: [
                mentor: ("mentor@example.com>\r\nRCPT TO:<victim@evil.example", "Mentor"), mentee: ("mentee@example.com", Self.hostileName),
            ])
            let mailer = try #require(SMTPMailer(url: "smtp://127.0.0.1:\(port)"))
            let consumer = EmailConsumer(
                store: store, mailer: mailer, unsubscribeBase: "http://127.0.0.1:8080/unsubscribe", logger: TestEnvironment.logger)
            let event = try Self.bookingCreated(id: 9, mentor: mentor, mentee: mentee)
            // The mentor's address is refused (logged, not retried: it can never be sent); the mentee gets the mail.
            #expect(try await consumer.handle(event) == 1)
            _ = try await Self.waitFor(1, received)
            try await Task.sleep(for: .milliseconds(300))  // anything injected would have come in the same transaction
            let got = try received()
            #expect(got.flatMap(\.to) == ["mentee@example.com"])
            #expect(!got.flatMap(\.headerLines).contains { $0.hasPrefix("Bcc:") || $0.hasPrefix("X-Injected:") || $0.hasPrefix("RCPT") })
        }
    }

    /// A `booking.created` message as the relay publishes it, for a 1:1 session of `mentor` and `mentee`.
    static func bookingCreated(id: Int64, mentor: UUID, mentee: UUID) throws -> [UInt8] {
        let start = try #require(Instant(iso8601: "2027-05-03T10:00:00Z"))
        let booking = Booking(
            id: UUID(), kind: .oneOnOne, mentorId: mentor, menteeId: mentee, groupSessionId: nil, start: start, end: start.adding(minutes: 60),
            status: .confirmed, createdAt: start.adding(minutes: -60))
        let event = BookingEvent(name: .created, payload: booking)
        return OutboxRelay.message(
            OutboxEvent(
                id: id, aggregate: BookingEvent.aggregate, aggregateId: event.aggregateId.uuidString, type: event.type,
                payload: Array(try JSONEncoder().encode(event.payload)), createdAt: booking.createdAt))
    }

    static let from = EmailMailbox(name: "MentorLink", address: EmailAddress("no-reply@mentorlink.local")!)

    /// The header lines of a built message (up to the first empty line).
    static func headers(_ message: String) -> [String] { message.components(separatedBy: "\r\n").prefix { !$0.isEmpty }.map { String($0) } }

    @Test(arguments: ["a@b", "ada@example.com", "first.last+tag@sub.example.co", "o'brien@example.com", "x@localhost"])
    func plainAddressesAreAccepted(_ text: String) { #expect(EmailAddress(text)?.value == text) }

    @Test(arguments: [
        "", "ada", "ada@", "@example.com", "a@@example.com", "a@b@example.com", "ada@example.com\r\nRCPT TO:<victim@evil.example>",
        "ada@example.com>", "<ada@example.com", "ada@exa mple.com", "ada @example.com", "\"ada\"@example.com", "ada@example.com\n",
        "ada@example.com\u{0}", "a..b@example.com", ".a@example.com", "a.@example.com", "ada@-example.com", "ada@example-.com", "ada@example..com",
        "ädä@example.com", "ada@exämple.com", "a,b@example.com", "ada@[127.0.0.1]", String(repeating: "a", count: 65) + "@example.com",
        "a@" + String(repeating: "b", count: 64) + ".com",
        String(repeating: "a", count: 64) + "@" + Array(repeating: String(repeating: "b", count: 60), count: 4).joined(separator: "."),
    ]) func hostileOrMalformedAddressesAreRefused(_ text: String) { #expect(EmailAddress(text) == nil) }

    @Test func theBuilderEncodesDisplayNamesAndRefusesUnsafeHeaders() throws {
        let ada = try #require(EmailAddress("ada@example.com"))
        func build(name: String, subject: String = "Hi", id: String = "1.u", unsubscribe: String = "http://x/u?user=1") throws -> String {
            try EmailMessage(id: id, to: EmailMailbox(name: name, address: ada), subject: subject, text: "t", html: "h", unsubscribe: unsubscribe)
                .rfc5322(from: Self.from, date: Date(timeIntervalSince1970: 0))
        }
        // CR/LF in a name: one `To:` header, the name quoted, nothing injected.
        let hostile = Self.headers(try build(name: Self.hostileName))
        #expect(hostile.filter { $0.hasPrefix("To:") } == [#"To: "Eve Bcc: victim@evil.example X-Injected: yes" <ada@example.com>"#])
        #expect(!hostile.contains { $0.hasPrefix("Bcc:") || $0.hasPrefix("X-Injected:") })
        // Quotes and backslashes are escaped inside the quoted-string.
        #expect(Self.headers(try build(name: #"Ada "Admin" \ <root@x>"#)).contains(#"To: "Ada \"Admin\" \\ <root@x>" <ada@example.com>"#))
        // Non-ASCII: RFC 2047 encoded-words of at most 75 characters that decode to the name.
        let name = "Zoë 李 " + String(repeating: "ü", count: 40)
        let to = try #require(Self.headers(try build(name: name)).first { $0.hasPrefix("To: ") })
        let words = to.dropFirst(4).split(separator: " ").dropLast()
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
        let decoded = words.map { Data(base64Encoded: String($0.dropFirst(10).dropLast(2)))! }.reduce(Data(), +)
        #expect(String(decoding: decoded, as: UTF8.self) == name)
        #expect(to.hasSuffix(" <ada@example.com>"))
        // Header values that are not user text are refused, not cleaned.
        #expect(throws: EmailError.unsafeHeader("Subject")) { try build(name: "Ada", subject: "Hi\r\nBcc: victim@evil.example") }
        #expect(throws: EmailError.invalidField("message id")) { try build(name: "Ada", id: "1>\r\nBcc: x") }
        #expect(throws: EmailError.invalidField("unsubscribe link")) { try build(name: "Ada", unsubscribe: "http://x/>\r\nBcc: x") }
        // The date is RFC 5322's.
        #expect(Self.headers(try build(name: "Ada")).contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
    }

    @Test func bodiesGetCRLFLineEndsOnly() throws {
        let ada = try #require(EmailAddress("ada@example.com"))
        let built = try EmailMessage(
            id: "1.u", to: EmailMailbox(name: "Ada", address: ada), subject: "Hi", text: "a\n.\nb\r.\r\nc\n.\r\nd", html: "h",
            unsubscribe: "http://x/u"
        ).rfc5322(from: Self.from, date: Date())
        let bytes = Array(built.utf8)
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A { #expect(index > 0 && bytes[index - 1] == 0x0D) }
            if byte == 0x0D { #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A) }
        }
        #expect(built.contains("a\r\n.\r\nb\r\n.\r\nc\r\n.\r\nd"))
    }

    /// Polls the server's output until `count` messages arrived (or 5 s passed).
    static func waitFor(_ count: Int, _ received: @Sendable () throws -> [Received]) async throws -> [Received] {
        for _ in 0..<50 {
            let got = try received()
            if got.count >= count { return got }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try received()
    }
}

/// Whether something listens on a loopback TCP port.
enum SocketProbe {
    static func connect(port: Int) throws -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}

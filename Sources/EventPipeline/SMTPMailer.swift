import Foundation
import MentorLinkClient

/// Where rendered emails go.
public protocol Mailer: Sendable {
    /// Delivers a message; returns whether it was sent now (false: it had been delivered before).
    func deliver(_ message: EmailMessage) async throws -> Bool
}

extension MaildirMailer: Mailer {}

/// Plain SMTP to a relay (`SMTP_URL=smtp://host:port`; no AUTH or TLS: a local relay such as the host's MTA does
/// those). At least once: a crash between sending and recording the event sends it again with the same
/// `Message-ID`, which receivers use to drop the copy.
public struct SMTPMailer: Mailer {
    let host: String
    let port: UInt16
    let from = EmailAddress("no-reply@mentorlink.local")!

    /// Parses `smtp://host:port` (port 25 by default); `nil` for anything else.
    public init?(url: String) {
        guard let components = URLComponents(string: url), components.scheme == "smtp", let host = components.host, !host.isEmpty else { return nil }
        self.host = host
        self.port = UInt16(components.port ?? 25)
    }

    public func deliver(_ message: EmailMessage) async throws -> Bool {
        let (host, port, from) = (self.host, self.port, self.from)
        let address = message.to.address
        let data = try message.rfc5322(from: EmailMailbox(name: "MentorLink", address: from), date: Date())
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread {
                do {
                    try Self.send(host: host, port: port, from: from, to: address, data: data)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
        return true
    }

    /// One SMTP transaction (RFC 5321): EHLO, MAIL, RCPT, DATA with dot-stuffing, QUIT. The envelope addresses are
    /// ``EmailAddress`` values (they cannot hold CR, LF or `>`), and `data` has CRLF line ends only (``EmailMessage``).
    static func send(host: String, port: UInt16, from: EmailAddress, to: EmailAddress, data: String) throws {
        let socket = try SocketConnection(.tcp(host: host, port: port), timeout: 15)
        func expect(_ code: String) throws {
            var line = try socket.readLine()
            while line.count > 3 && line[line.index(line.startIndex, offsetBy: 3)] == "-" { line = try socket.readLine() }
            guard line.hasPrefix(code) else { throw SMTPError(reply: line) }
        }
        try expect("220")
        try socket.write("EHLO mentorlink.local\r\n")
        try expect("250")
        try socket.write("MAIL FROM:<\(from.value)>\r\n")
        try expect("250")
        try socket.write("RCPT TO:<\(to.value)>\r\n")
        try expect("250")
        try socket.write("DATA\r\n")
        try expect("354")
        let body = data.split(separator: "\r\n", omittingEmptySubsequences: false).map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
        try socket.write(body + "\r\n.\r\n")
        try expect("250")
        try socket.write("QUIT\r\n")
    }
}

/// The SMTP server refused.
public struct SMTPError: Error, CustomStringConvertible {
    public var reply: String
    public var description: String { "SMTP: \(reply)" }
}

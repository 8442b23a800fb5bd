import Foundation
public import MentorLinkCore
import NIOCore
import NIOPosix

/// Plain SMTP to a relay (`SMTP_URL=smtp://host:port`; no AUTH or TLS: a local relay such as the host's MTA does
/// those). At least once: a crash between sending and recording the event sends it again with the same
/// `Message-ID`, which receivers use to drop the copy.
///
/// Each message is one connection on NIO's shared event loops (no thread of its own): a connect timeout and a read
/// timeout of ``timeout`` each bound a server that does not answer.
public struct SMTPMailer: Mailer {
    let host: String
    let port: Int
    /// How long connecting, and waiting for each reply, may take.
    let timeout: TimeAmount

    /// Parses `smtp://host:port` (port 25 by default); `nil` for anything else. `timeout` bounds connecting and the
    /// wait for each reply (15 s by default).
    public init?(url: String, timeout: Duration = .seconds(15)) {
        guard let components = URLComponents(string: url), components.scheme == "smtp", let host = components.host, !host.isEmpty,
            let port = UInt16(exactly: components.port ?? 25)
        else { return nil }
        self.host = host
        self.port = Int(port)
        self.timeout = TimeAmount(timeout)
    }

    public func deliver(_ message: EmailMessage) async throws -> Bool {
        let data = try message.rfc5322(from: EmailHeader.sender, date: Date())
        try await send(from: EmailHeader.sender.address, to: message.to.address, data: data)
        return true
    }

    /// One SMTP transaction (RFC 5321): EHLO, MAIL, RCPT, DATA with dot-stuffing, QUIT. The envelope addresses are
    /// ``MentorLinkCore/EmailAddress`` values (they cannot hold CR, LF or `>`), and `data` has CRLF line ends only
    /// (``EmailMessage/rfc5322(from:date:boundary:)``).
    func send(from: EmailAddress, to: EmailAddress, data: String) async throws {
        let timeout = self.timeout
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(timeout).connect(host: host, port: port)
        { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers([
                    IdleStateHandler(readTimeout: timeout), SMTPReadTimeoutHandler(), ByteToMessageHandler(SMTPLineDecoder()),
                ])
                return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        try await channel.executeThenClose { inbound, outbound in
            var replies = SMTPReplies(lines: inbound.makeAsyncIterator())
            func say(_ text: String) async throws { try await outbound.write(ByteBuffer(string: text)) }
            try await replies.expect("220")
            try await say("EHLO mentorlink.local\r\n")
            try await replies.expect("250")
            try await say("MAIL FROM:<\(from.value)>\r\n")
            try await replies.expect("250")
            try await say("RCPT TO:<\(to.value)>\r\n")
            try await replies.expect("250")
            try await say("DATA\r\n")
            try await replies.expect("354")
            let body = data.split(separator: "\r\n", omittingEmptySubsequences: false).map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(
                separator: "\r\n")
            try await say(body + "\r\n.\r\n")
            try await replies.expect("250")
            try await say("QUIT\r\n")
        }
    }
}

/// The server's replies, read line by line from the connection.
struct SMTPReplies {
    var lines: NIOAsyncChannelInboundStream<String>.AsyncIterator

    /// Reads one reply (its continuation lines `250-…` up to the last `250 …`) and checks its code.
    mutating func expect(_ code: String) async throws {
        var line = try await next()
        while line.count > 3 && line[line.index(line.startIndex, offsetBy: 3)] == "-" { line = try await next() }
        guard line.hasPrefix(code) else { throw EmailError.refused(line) }
    }

    private mutating func next() async throws -> String {
        guard let line = try await lines.next() else { throw EmailError.closed }
        return line
    }
}

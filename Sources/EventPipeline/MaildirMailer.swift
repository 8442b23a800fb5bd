public import Foundation

/// An email, rendered.
public struct EmailMessage: Sendable, Hashable {
    public var id: String
    public var to: String
    public var subject: String
    public var text: String
    public var html: String
    public var unsubscribe: String

    /// A message; `id` is unique per event and recipient.
    public init(id: String, to: String, subject: String, text: String, html: String, unsubscribe: String) {
        self.id = id
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.unsubscribe = unsubscribe
    }

    /// The RFC 5322 message: headers with `List-Unsubscribe` (and one-click), a multipart/alternative body.
    public func rfc5322(from: String, date: Date) -> String {
        let boundary = "ml-\(id.replacingOccurrences(of: ".", with: "-"))"
        return [
            "From: \(from)", "To: \(to)", "Subject: \(subject)", "Date: \(date.formatted(.iso8601))", "Message-ID: <\(id)@mentorlink.local>",
            "MIME-Version: 1.0", "List-Unsubscribe: <\(unsubscribe)>", "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"", "",
            "--\(boundary)", "Content-Type: text/plain; charset=utf-8", "", text,
            "--\(boundary)", "Content-Type: text/html; charset=utf-8", "", html,
            "--\(boundary)--", "",
        ].joined(separator: "\r\n")
    }
}

/// Delivers emails into a Maildir spool (`tmp/` then renamed into `new/`). A message's file name comes from its id,
/// so delivering the same message twice leaves one file.
public struct MaildirMailer: Sendable {
    public let root: String
    let from = "MentorLink <no-reply@mentorlink.local>"

    /// A mailer writing under `root` (created if missing).
    public init(root: String) throws {
        self.root = root
        for folder in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
    }

    /// Writes the message unless it is already in the spool; returns whether it wrote.
    @discardableResult
    public func deliver(_ message: EmailMessage) throws -> Bool {
        let name = "\(message.id).eml"
        let fm = FileManager.default
        if fm.fileExists(atPath: "\(root)/new/\(name)") || fm.fileExists(atPath: "\(root)/cur/\(name)") { return false }
        let temporary = "\(root)/tmp/\(name)"
        try Data(message.rfc5322(from: from, date: Date()).utf8).write(to: URL(fileURLWithPath: temporary))
        try fm.moveItem(atPath: temporary, toPath: "\(root)/new/\(name)")
        return true
    }
}

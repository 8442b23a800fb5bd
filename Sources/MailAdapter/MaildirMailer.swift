import Foundation
public import MentorLinkCore

/// Delivers emails into a Maildir spool (`tmp/` then renamed into `new/`). A message's file name comes from its id,
/// so delivering the same message twice leaves one file.
public struct MaildirMailer: Mailer {
    /// The spool's directory (with `tmp/`, `new/`, `cur/`).
    public let root: String

    /// A mailer writing under `root` (created if missing).
    public init(root: String) throws {
        self.root = root
        for folder in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
    }

    /// Writes the message unless it is already in the spool; returns whether it wrote. The message is built (and its
    /// headers checked) by ``EmailMessage/rfc5322(from:date:boundary:)``, as for SMTP.
    @discardableResult public func deliver(_ message: EmailMessage) throws -> Bool {
        guard EmailHeader.isToken(message.id) else { throw EmailError.invalidField("message id") }
        let name = "\(message.id).eml"
        let fm = FileManager.default
        if fm.fileExists(atPath: "\(root)/new/\(name)") || fm.fileExists(atPath: "\(root)/cur/\(name)") { return false }
        let temporary = "\(root)/tmp/\(name)"
        try Data(message.rfc5322(from: EmailHeader.sender, date: Date()).utf8).write(to: URL(fileURLWithPath: temporary))
        try fm.moveItem(atPath: temporary, toPath: "\(root)/new/\(name)")
        return true
    }
}

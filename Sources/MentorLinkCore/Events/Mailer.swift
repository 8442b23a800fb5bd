/// Where rendered emails go (SMTP or a Maildir spool, in the mail adapter).
public protocol Mailer: Sendable {
    /// Delivers a message; returns whether it was sent now (false: it had been delivered before).
    func deliver(_ message: EmailMessage) async throws -> Bool
}

/// An email, rendered: what a ``Mailer`` delivers. The mail adapter turns it into an RFC 5322 message.
public struct EmailMessage: Sendable, Hashable {
    /// Unique per event and recipient; letters, digits, `.`, `-`, `_` (it becomes the `Message-ID`).
    public var id: String
    /// The recipient.
    public var to: EmailMailbox
    /// The subject (text of ours, not a user's).
    public var subject: String
    /// The plain-text part.
    public var text: String
    /// The HTML part.
    public var html: String
    /// The one-click unsubscribe link (`List-Unsubscribe`).
    public var unsubscribe: String

    /// A message; `id` is unique per event and recipient.
    public init(id: String, to: EmailMailbox, subject: String, text: String, html: String, unsubscribe: String) {
        self.id = id
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.unsubscribe = unsubscribe
    }
}

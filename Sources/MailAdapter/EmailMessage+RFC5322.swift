public import Foundation
public import MentorLinkCore

extension EmailMessage {
    /// The RFC 5322 message: headers with `List-Unsubscribe` (and one-click), a multipart/alternative body. Every header
    /// is made by ``EmailHeader``, so no value can add a header of its own; bodies get CRLF line ends only (a bare CR
    /// or LF cannot end the SMTP data early), and the MIME boundary is random (a body cannot close its part).
    public func rfc5322(from: EmailMailbox, date: Date, boundary: String = "ml-\(UUID().uuidString)") throws(EmailError) -> String {
        guard EmailHeader.isToken(id) else { throw .invalidField("message id") }
        guard EmailHeader.isHeaderURL(unsubscribe) else { throw .invalidField("unsubscribe link") }
        guard EmailHeader.isToken(boundary) else { throw .invalidField("boundary") }
        let headers = [
            try EmailHeader.line("From", EmailHeader.mailbox(from)), try EmailHeader.line("To", EmailHeader.mailbox(to)),
            try EmailHeader.line("Subject", EmailHeader.text("Subject", subject)), try EmailHeader.line("Date", EmailHeader.date(date)),
            try EmailHeader.line("Message-ID", "<\(id)@mentorlink.local>"), try EmailHeader.line("MIME-Version", "1.0"),
            try EmailHeader.line("List-Unsubscribe", "<\(unsubscribe)>"), try EmailHeader.line("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            try EmailHeader.line("Content-Type", "multipart/alternative; boundary=\"\(boundary)\""),
        ]
        let part = ["Content-Transfer-Encoding: 8bit", ""]
        return
            (headers + [""] + ["--\(boundary)", "Content-Type: text/plain; charset=utf-8"] + part + [Self.crlf(text)] + [
                "--\(boundary)", "Content-Type: text/html; charset=utf-8",
            ] + part + [Self.crlf(html)] + ["--\(boundary)--", ""]).joined(separator: "\r\n")
    }

    /// Text with every line end (CRLF, CR, LF) as CRLF.
    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }
}

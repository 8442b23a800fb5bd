/// Why a message could not be built or sent (the mail adapter's one error type).
public enum EmailError: Error, Equatable, CustomStringConvertible {
    /// A header value held CR, LF or another control character, or was too long (the header's name).
    case unsafeHeader(String)
    /// A message id or link that cannot be written into its header.
    case invalidField(String)
    /// The SMTP server answered with another code than the step expects (its reply line).
    case refused(String)
    /// The SMTP server sent nothing for the read timeout.
    case timedOut
    /// The SMTP server closed the connection before the transaction ended.
    case closed
    /// An SMTP reply line longer than any server sends (RFC 5321: 512 octets).
    case replyTooLong

    public var description: String {
        switch self {
        case .unsafeHeader(let name): "email: unsafe value in header \(name)"
        case .invalidField(let name): "email: invalid \(name)"
        case .refused(let reply): "SMTP: \(reply)"
        case .timedOut: "SMTP: timed out"
        case .closed: "SMTP: connection closed"
        case .replyTooLong: "SMTP: reply line too long"
        }
    }
}

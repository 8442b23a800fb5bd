/// Errors of the core's ports that callers react to.
public enum CoreError: Error, Equatable, CustomStringConvertible {
    /// The email belongs to another account.
    case emailTaken
    /// A dependency cannot be reached; the call may be retried.
    case unavailable(String)

    public var description: String {
        switch self {
        case .emailTaken: "email taken"
        case .unavailable(let what): "\(what) unavailable"
        }
    }
}

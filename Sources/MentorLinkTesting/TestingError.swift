/// What the testing helpers themselves can fail with (as opposed to the code under test).
public enum TestingError: Error, Equatable, CustomStringConvertible {
    /// The dispatcher gave no response to a call (it was taken for a notification).
    case noResponse(String)

    public var description: String {
        switch self {
        case .noResponse(let method): "no response to \(method)"
        }
    }
}

/// What the testing helpers themselves can fail with (as opposed to the code under test).
public enum TestingError: Error, Equatable, CustomStringConvertible {
    /// The dispatcher gave no response to a call (it was taken for a notification).
    case noResponse(String)
    /// A fake was asked for something it does not simulate (named); the live-stack tests cover it.
    case notSimulated(String)
    /// A call that had to succeed failed (the method, and its error).
    case callFailed(String, String)

    public var description: String {
        switch self {
        case .noResponse(let method): "no response to \(method)"
        case .notSimulated(let what): "not simulated in memory: \(what)"
        case .callFailed(let method, let error): "\(method) failed: \(error)"
        }
    }
}

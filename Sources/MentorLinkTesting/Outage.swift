public import MentorLinkCore
import Synchronization

/// A switch a test flips to take a fake's dependency away: while it is on, every call of the fake throws
/// ``MentorLinkCore/CoreError/unavailable(_:)`` naming the dependency, as the real adapter's error would be read.
public final class Outage: Sendable {
    /// The dependency the fake stands for (`redis`, `postgres`).
    public let dependency: String
    private let down = Mutex(false)

    /// A switch, off, for `dependency`.
    public init(_ dependency: String) { self.dependency = dependency }

    /// Takes the dependency away (`true`) or brings it back.
    public func set(_ isDown: Bool) { down.withLock { $0 = isDown } }

    /// Whether the dependency is away.
    public var isDown: Bool { down.withLock { $0 } }

    /// Throws when the dependency is away.
    public func check() throws(CoreError) { if isDown { throw .unavailable(dependency) } }
}

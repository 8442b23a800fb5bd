public import MentorLinkCore
import Synchronization

/// A clock tests move by hand: ``now`` stays where it was put until ``advance(minutes:)`` or ``set(_:)`` moves it.
///
/// Pass `{ clock.now }` wherever a service or fake takes a `now` closure, so one test controls every party's time.
public final class TestClock: Sendable {
    private let current: Mutex<Instant>

    /// A clock standing at `start`.
    public init(_ start: Instant) { current = Mutex(start) }

    /// The clock's time.
    public var now: Instant { current.withLock { $0 } }

    /// Moves the clock by `minutes` (back when negative).
    public func advance(minutes: Int) { current.withLock { $0 = $0.adding(minutes: minutes) } }

    /// Moves the clock by `seconds` (back when negative).
    public func advance(seconds: Int) { current.withLock { $0 = $0.adding(seconds: seconds) } }

    /// Puts the clock at `instant`.
    public func set(_ instant: Instant) { current.withLock { $0 = instant } }
}

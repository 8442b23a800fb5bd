public import Logging

/// A consumer of the relay's messages: handles one message's bytes. ``EventConsumer`` runs it over an
/// ``MentorLinkCore/EventSource`` (retries, dead letters, commits).
public protocol EventHandler: Sendable {
    /// The consumer's name (in logs and `consumer_events`).
    static var name: String { get }
    var logger: Logger { get }
    /// Handles one message; returns how much it did.
    @discardableResult func handle(_ value: [UInt8]) async throws -> Int
}

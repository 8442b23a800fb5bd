public import Foundation

/// A review was posted or answered; the payload is the review as it is now.
public struct ReviewEvent: DomainEvent, Hashable {
    /// The event types whose payload is a ``Review``.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case posted = "review.posted"
        case replied = "review.replied"
    }

    public static let aggregate = "review"
    public var name: Name
    public var payload: Review
    public var aggregateId: UUID { payload.id }

    /// The event `name` about `payload`.
    public init(name: Name, payload: Review) {
        self.name = name
        self.payload = payload
    }
}

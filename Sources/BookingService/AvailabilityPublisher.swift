public import Foundation
public import Logging
public import MentorLinkCore

/// Publishes `availability.changed` events on the mentor's channel of the pub/sub bus.
public struct AvailabilityPublisher: AvailabilityNotifying {
    let bus: any EventBus
    let logger: Logger

    /// The event's JSON, as subscribers receive it.
    struct Event: Encodable {
        var type = "availability.changed"
        var mentorId: String
        var reason: String
    }

    /// A publisher over `bus`; failures are logged on `logger`.
    public init(bus: any EventBus, logger: Logger) {
        self.bus = bus
        self.logger = logger
    }

    public func availabilityChanged(mentorId: UUID, reason: String) async {
        do {
            let event = try JSONEncoder().encode(Event(mentorId: mentorId.uuidString.lowercased(), reason: reason))
            try await bus.publish(channel: Channels.availability(mentorId: mentorId), event: Array(event))
        } catch {
            logger.warning("availability.publish_failed", metadata: ["error": .string("\(error)"), "mentor.id": .string(mentorId.uuidString)])
        }
    }
}

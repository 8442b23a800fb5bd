public import Foundation

/// A recording changed state; the payload is the recording as it is now. `recording.processing` is the media
/// consumer's job (keyed by the recording's id and ``Recording/revision``); the others are pushed to the room and
/// notified to its participants.
public struct RecordingEvent: DomainEvent, Hashable {
    /// The event types whose payload is a ``Recording``.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case started = "recording.started"
        case stopped = "recording.stopped"
        case processing = "recording.processing"
        case ready = "recording.ready"
        case deleted = "recording.deleted"
    }

    public static let aggregate = "recording"
    public var name: Name
    public var payload: Recording
    public var aggregateId: UUID { payload.id }

    /// The event `name` about `payload`.
    public init(name: Name, payload: Recording) {
        self.name = name
        self.payload = payload
    }
}

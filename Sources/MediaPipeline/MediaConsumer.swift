public import EventPipeline
public import Logging
public import MentorLinkCore

/// `mentorlink consume media`: the recording jobs (`recording.processing`, keyed by recording and revision) off the
/// `recording` topic, one at a time per process (start one process per two cores). A crash before the job finished
/// leaves its offset uncommitted, so the job runs again; a finished or superseded one is skipped.
public struct MediaConsumer: EventHandler {
    public static let name = "media"
    /// The topics (aggregates) it reads.
    public static let aggregates = ["recording"]
    let processor: RecordingProcessor
    public let logger: Logger

    /// Creates the consumer.
    public init(processor: RecordingProcessor, logger: Logger) {
        self.processor = processor
        self.logger = logger
    }

    @discardableResult public func handle(_ value: [UInt8]) async throws -> Int {
        guard let relayed = RelayedEvent(value) else {
            logger.warning("media.unreadable_event")
            return 0
        }
        guard let event = try relayed.decode(as: RecordingEvent.self), event.name == .processing else { return 0 }
        return try await processor.process(id: event.payload.id, revision: event.payload.revision) == nil ? 0 : 1
    }
}

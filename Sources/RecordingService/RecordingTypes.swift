public import Foundation
public import MentorLinkCore

/// Params and results of `recordings.*`.
extension RecordingService {
    public struct RoomParams: Codable, Sendable { public var roomId: UUID }
    public struct RecordingParams: Codable, Sendable { public var recordingId: UUID }
    public struct ListParams: Codable, Sendable {
        public var bookingId: UUID?
        public var cursor: String?
        public var limit: Int?
    }

    /// A track as callers see it.
    public struct TrackView: Codable, Sendable {
        public var id: UUID
        public var participantId: UUID
        public var bytes: Int64
        public var length: Int64?
        public var durationMs: Int64?
        public var startedAt: Instant
        public var complete: Bool
    }

    /// An output with a short-lived signed link.
    public struct OutputView: Codable, Sendable {
        public var kind: RecordingOutput.Kind
        public var url: String
        public var durationMs: Int64
        public var participantId: UUID?
    }

    /// A recording as callers see it: no object keys, signed links instead.
    public struct RecordingView: Codable, Sendable {
        public var id: UUID
        public var roomId: UUID
        public var state: RecordingState
        public var auto: Bool
        public var startedAt: Instant
        public var stoppedAt: Instant?
        public var progress: Int
        public var failure: String?
        public var gaps: [RecordingGap]
        public var tracks: [TrackView]
        public var outputs: [OutputView]
    }

    public struct RecordingResult: Codable, Sendable { public var recording: RecordingView }
    public struct OptionalRecordingResult: Codable, Sendable { public var recording: RecordingView? }
    public struct ListResult: Codable, Sendable {
        public var items: [RecordingView]
        public var nextCursor: String?
    }
    public struct DeleteResult: Codable, Sendable { public var deleted: Bool }
}

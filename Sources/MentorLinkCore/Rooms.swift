public import Foundation

/// A session room: one per 1:1 booking or group session (a seat's room is its group's).
public struct RoomInfo: Codable, Sendable, Hashable {
    public var id: UUID
    public var bookingId: UUID
    public var kind: String
    public var startsAt: Instant
    public var endsAt: Instant
    public var mentorId: UUID
    /// Everyone allowed in: the mentor and the mentee, or the mentor and every confirmed seat.
    public var participantIds: [UUID]
    /// The booking consented to recording (the mentor's auto-record setting when it was booked).
    public var recordConsent: Bool
    /// A group session's seats (its mentees at most; the mentor comes on top); `nil` for a 1:1 booking.
    public var capacity: Int?

    public init(
        id: UUID, bookingId: UUID, kind: String, startsAt: Instant, endsAt: Instant, mentorId: UUID, participantIds: [UUID],
        recordConsent: Bool = true, capacity: Int? = nil
    ) {
        self.recordConsent = recordConsent
        self.capacity = capacity
        self.id = id
        self.bookingId = bookingId
        self.kind = kind
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.mentorId = mentorId
        self.participantIds = participantIds
    }
}

/// A chat message.
public struct ChatMessage: Codable, Sendable, Hashable {
    public var id: Int64
    public var seq: Int64
    public var senderId: UUID
    public var text: String
    public var sentAt: Instant

    public init(id: Int64, seq: Int64, senderId: UUID, text: String, sentAt: Instant) {
        self.id = id
        self.seq = seq
        self.senderId = senderId
        self.text = text
        self.sentAt = sentAt
    }
}

/// The durable side of rooms.
public protocol RoomStore: Sendable {
    /// The room of a booking, group session or seat (`nil` when none or cancelled).
    func room(bookingId: UUID) async throws -> RoomInfo?
    /// Appends a message with the room's next seq.
    func append(roomId: UUID, senderId: UUID, text: String) async throws -> ChatMessage
    /// Messages before `beforeSeq` (newest first), at most `limit`.
    func messages(roomId: UUID, beforeSeq: Int64?, limit: Int) async throws -> [ChatMessage]
}

public import Foundation
public import MentorLinkCore

/// Params of `admin.deadLetters.list`.
public struct DeadLetterListParams: Codable, Sendable {
    /// Only this consumer's letters.
    public var consumer: String?
    /// The page after this cursor.
    public var cursor: String?
    /// 1 to 200 (default 50).
    public var limit: Int?
}

/// Params of `admin.deadLetters.replay`.
public struct DeadLetterReplayParams: Codable, Sendable {
    /// The dead letter.
    public var id: Int64
}

/// A dead letter as an admin sees it: where it was read, the event it carried, why it failed, its state.
public struct DeadLetterItem: Codable, Sendable {
    /// The dead letter's id (`admin.deadLetters.replay` takes it).
    public var id: Int64
    /// The consumer that parked it: `notifications` or `email`.
    public var consumer: String
    /// Where it was read: topic, partition and offset.
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The outbox id and type of the event it carried, when its bytes are an event envelope.
    public var eventId: Int64?
    public var eventType: String?
    /// How many bytes the message had.
    public var bytes: Int
    /// The last failure, as logged (no bound values).
    public var error: String
    /// How many times it was tried before it was parked.
    public var attempts: Int
    /// `parked`, `replaying` or `replayed`.
    public var state: DeadLetter.State
    /// When it was parked, and when a replay last ran it.
    public var parkedAt: Instant
    public var replayedAt: Instant?

    /// The envelope fields an item names; anything else in the bytes is left alone (they may not even be JSON).
    struct Envelope: Decodable {
        var id: Int64?
        var type: String?

        enum CodingKeys: String, CodingKey { case id, type }

        /// Each field on its own: an `id` of another type does not hide the `type`.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try? container.decodeIfPresent(Int64.self, forKey: .id)
            type = try? container.decodeIfPresent(String.self, forKey: .type)
        }
    }

    init(_ letter: DeadLetter) {
        let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(letter.value))
        id = letter.id
        consumer = letter.consumer
        topic = letter.topic
        partition = letter.partition
        offset = letter.offset
        eventId = envelope?.id
        eventType = envelope?.type
        bytes = letter.value.count
        error = letter.error
        attempts = letter.attempts
        state = letter.state
        parkedAt = letter.parkedAt
        replayedAt = letter.replayedAt
    }
}

/// A page of dead letters, oldest first.
public struct DeadLetterPage: Codable, Sendable {
    /// The letters, oldest first.
    public var items: [DeadLetterItem]
    /// The next page's cursor; `nil` on the last page.
    public var nextCursor: String?
}

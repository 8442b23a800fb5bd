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
    public var id: Int64
    public var consumer: String
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The outbox id and type of the event it carried, when its bytes are an event envelope.
    public var eventId: Int64?
    public var eventType: String?
    public var bytes: Int
    public var error: String
    public var attempts: Int
    public var state: DeadLetter.State
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
    public var items: [DeadLetterItem]
    public var nextCursor: String?
}

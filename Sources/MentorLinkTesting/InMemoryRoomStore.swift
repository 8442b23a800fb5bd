public import Foundation
public import MentorLinkCore
import Synchronization

/// ``MentorLinkCore/RoomStore`` in memory. A test adds the sessions (a 1:1 booking, or a group session with its
/// seats) and cancels them; a room is found by the booking, group session or seat id while both it and the room are
/// confirmed, and its participants are the mentor and the mentees of the confirmed seats, as the SQL reads them.
public final class InMemoryRoomStore: RoomStore {
    struct Room {
        var kind: String
        var startsAt: Instant
        var endsAt: Instant
        var mentorId: UUID
        /// Mentee by booking id: the 1:1 booking's mentee, or each seat's.
        var mentees: [(booking: UUID, mentee: UUID)]
        var cancelled: Set<UUID> = []
        /// A group session's seats.
        var capacity: Int? = nil
    }

    struct State {
        var rooms: [UUID: Room] = [:]
        /// The room of each booking, group session and seat id.
        var roomOf: [UUID: UUID] = [:]
        var messages: [UUID: [ChatMessage]] = [:]
        var nextMessageId: Int64 = 0
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Instant
    /// Takes PostgreSQL away.
    public let outage = Outage("postgres")

    /// No rooms, on `now`'s time (the messages' `sentAt`).
    public init(now: @escaping @Sendable () -> Instant = { .now }) { self.now = now }

    /// Adds a confirmed 1:1 booking `id`; its room has the same id.
    public func addOneOnOne(id: UUID = UUID(), mentor: UUID, mentee: UUID, startsAt: Instant, endsAt: Instant) -> UUID {
        state.withLock { state in
            state.rooms[id] = Room(kind: "one_on_one", startsAt: startsAt, endsAt: endsAt, mentorId: mentor, mentees: [(id, mentee)])
            state.roomOf[id] = id
        }
        return id
    }

    /// Adds a confirmed group session `id` with one confirmed seat per mentee and `capacity` seats (default: as many
    /// as mentees); returns the seats' ids by mentee.
    @discardableResult public func addGroup(
        id: UUID = UUID(), mentor: UUID, mentees: [UUID], startsAt: Instant, endsAt: Instant, capacity: Int? = nil
    ) -> (id: UUID, seats: [UUID: UUID]) {
        let seats = mentees.map { (booking: UUID(), mentee: $0) }
        state.withLock { state in
            state.rooms[id] = Room(
                kind: "group", startsAt: startsAt, endsAt: endsAt, mentorId: mentor, mentees: seats, capacity: capacity ?? max(1, mentees.count))
            state.roomOf[id] = id
            for seat in seats { state.roomOf[seat.booking] = id }
        }
        return (id, Dictionary(seats.map { ($0.mentee, $0.booking) }) { first, _ in first })
    }

    /// Cancels a booking, group session or seat: a cancelled seat's mentee leaves the room, a cancelled session
    /// closes it.
    public func cancel(bookingId: UUID) {
        state.withLock { state in
            guard let roomId = state.roomOf[bookingId] else { return }
            state.rooms[roomId]?.cancelled.insert(bookingId)
        }
    }

    public func room(bookingId: UUID) async throws -> RoomInfo? {
        try outage.check()
        return state.withLock { state -> RoomInfo? in
            guard let roomId = state.roomOf[bookingId], let room = state.rooms[roomId], !room.cancelled.contains(roomId),
                !room.cancelled.contains(bookingId)
            else { return nil }
            let mentees = room.mentees.filter { !room.cancelled.contains($0.booking) }.map(\.mentee)
            return RoomInfo(
                id: roomId, bookingId: bookingId, kind: room.kind, startsAt: room.startsAt, endsAt: room.endsAt, mentorId: room.mentorId,
                participantIds: [room.mentorId] + mentees, capacity: room.capacity)
        }
    }

    public func append(roomId: UUID, senderId: UUID, text: String) async throws -> ChatMessage {
        try outage.check()
        let sentAt = now()
        return state.withLock { state in
            state.nextMessageId += 1
            let message = ChatMessage(
                id: state.nextMessageId, seq: Int64((state.messages[roomId]?.count ?? 0) + 1), senderId: senderId, text: text, sentAt: sentAt)
            state.messages[roomId, default: []].append(message)
            return message
        }
    }

    public func messages(roomId: UUID, beforeSeq: Int64?, limit: Int) async throws -> [ChatMessage] {
        try outage.check()
        return state.withLock { state in
            Array((state.messages[roomId] ?? []).filter { message in beforeSeq.map { message.seq < $0 } ?? true }.reversed().prefix(max(0, limit)))
        }
    }
}

import EventPipeline
import Foundation
import MentorLinkCore
import Testing

/// A recording's start and its outcome reach everyone in its room (the payload names only the mentor); a stop,
/// processing and deletion notify nobody; a start is not emailed.
@Suite struct RecordingNotificationTests {
    let mentor = UUID(), mentee = UUID(), seat = UUID()

    /// The room with the mentor and two mentees, as the rooms store reads it.
    struct OneRoom: RoomStore {
        let room: RoomInfo
        func room(bookingId: UUID) async throws -> RoomInfo? { bookingId == room.id ? room : nil }
        func append(roomId: UUID, senderId: UUID, text: String) async throws -> ChatMessage { throw CoreError.notFound }
        func messages(roomId: UUID, beforeSeq: Int64?, limit: Int) async throws -> [ChatMessage] { [] }
    }

    func recording(_ roomId: UUID, state: RecordingState, revision: Int = 0) -> Recording {
        let start = NotificationConsumerTests.start
        return Recording(
            id: UUID(), roomId: roomId, mentorId: mentor, state: state, auto: true, startedAt: start, stoppedAt: nil, revision: revision,
            processedRevision: nil, progress: 0, failure: nil, gaps: [], outputs: [], tracks: [], createdAt: start)
    }

    func notes(_ id: Int64, _ event: RecordingEvent, rooms: (any RoomStore)?) async throws -> [NewNotification] {
        let store = InMemoryNotificationStore()
        let consumer = NotificationConsumer(store: store, bus: NullBus(), rooms: rooms, logger: EventConsumerTests.logger)
        try await consumer.handle(try NotificationConsumerTests.message(id, event))
        return store.stored
    }

    @Test func startedAndReadyTellTheRoomsParticipants() async throws {
        let roomId = UUID()
        let rooms = OneRoom(
            room: RoomInfo(
                id: roomId, bookingId: roomId, kind: "group", startsAt: NotificationConsumerTests.start,
                endsAt: NotificationConsumerTests.start.adding(minutes: 60), mentorId: mentor, participantIds: [mentor, mentee, seat]))
        let ready = try await notes(1, RecordingEvent(name: .ready, payload: recording(roomId, state: .ready)), rooms: rooms)
        #expect(Set(ready.map(\.userId)) == [mentor, mentee, seat] && ready.count == 3)
        #expect(ready.allSatisfy { $0.type == "recording.ready" && $0.title == "Your recording is ready" })
        let started = try await notes(2, RecordingEvent(name: .started, payload: recording(roomId, state: .recording)), rooms: rooms)
        #expect(Set(started.map(\.userId)) == [mentor, mentee, seat] && started.allSatisfy { $0.title == "Recording started" })
        let partial = try await notes(3, RecordingEvent(name: .ready, payload: recording(roomId, state: .partial)), rooms: rooms)
        #expect(partial.first?.body == "The recording of your session is ready; part of it is missing.")
        let failed = try await notes(4, RecordingEvent(name: .ready, payload: recording(roomId, state: .failed)), rooms: rooms)
        #expect(failed.count == 3 && failed.allSatisfy { $0.title == "Recording failed" })
        for (id, name) in [(5, RecordingEvent.Name.stopped), (6, .processing), (7, .deleted)] {
            #expect(try await notes(Int64(id), RecordingEvent(name: name, payload: recording(roomId, state: .processing)), rooms: rooms).isEmpty)
        }
        // A late track's revision is processed again: its outcome is not notified a second time.
        #expect(try await notes(9, RecordingEvent(name: .ready, payload: recording(roomId, state: .ready, revision: 1)), rooms: rooms).isEmpty)
        // Without the rooms store, the mentor (named by the payload) still hears.
        #expect(try await notes(8, RecordingEvent(name: .ready, payload: recording(roomId, state: .ready)), rooms: nil).map(\.userId) == [mentor])
        #expect(NotificationConsumer.aggregates.contains(RecordingEvent.aggregate))
    }
}

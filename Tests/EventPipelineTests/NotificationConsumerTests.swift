import EventPipeline
import Foundation
import Logging
import MentorLinkCore
import Testing

/// The notifications consumer decodes each event as the Core type its writer wrote, and tells the same people the same
/// words as before the events were typed.
@Suite struct NotificationConsumerTests {
    static let start = Instant(iso8601: "2027-05-03T10:00:00Z")!
    let mentor = UUID(), mentee = UUID()

    /// A relay message for `event`, its payload encoded as the outbox writer encodes it (sorted keys).
    static func message(_ id: Int64, _ event: some DomainEvent) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return OutboxRelay.message(
            OutboxEvent(
                id: id, aggregate: type(of: event).aggregate, aggregateId: event.aggregateId.uuidString.lowercased(), type: event.type,
                payload: Array(try encoder.encode(event.payload)), createdAt: start))
    }

    func booking(_ kind: BookingKind = .oneOnOne, id: UUID = UUID()) -> Booking {
        Booking(
            id: id, kind: kind, mentorId: mentor, menteeId: kind == .group ? nil : mentee, groupSessionId: nil, start: Self.start,
            end: Self.start.adding(minutes: 60), status: .confirmed, createdAt: Self.start.adding(minutes: -600))
    }

    /// Runs one message through a consumer over `store`; returns what it stored.
    func notes(_ message: [UInt8], store: InMemoryNotificationStore = InMemoryNotificationStore()) async throws -> [NewNotification] {
        let consumer = NotificationConsumer(store: store, bus: NullBus(), logger: EventConsumerTests.logger)
        try await consumer.handle(message)
        return store.stored
    }

    @Test func bookingEventsTellBothSides() async throws {
        let created = try await notes(try Self.message(1, BookingEvent(name: .created, payload: booking())))
        #expect(created.map(\.userId) == [mentor, mentee])
        #expect(
            created.allSatisfy {
                $0.type == "booking.created" && $0.title == "Session booked" && $0.body == "A session is booked for 2027-05-03T10:00:00Z."
            })
        let moved = try await notes(
            try Self.message(2, BookingRescheduled(payload: .init(booking: booking(), previousStart: Self.start.adding(minutes: -60)))))
        #expect(
            moved.map(\.userId) == [mentor, mentee]
                && moved.allSatisfy { $0.title == "Session moved" && $0.body == "The session moved to 2027-05-03T10:00:00Z." })
        #expect(try await notes(try Self.message(3, BookingEvent(name: .held, payload: booking()))).isEmpty)
    }

    @Test func aCancelledGroupSessionTellsItsSeatHoldersOnce() async throws {
        let session = booking(.group)
        let other = UUID()
        let store = InMemoryNotificationStore(seatHolders: [session.id: [mentee, other, mentor]])
        let notes = try await notes(try Self.message(4, BookingEvent(name: .cancelled, payload: session)), store: store)
        #expect(notes.map(\.userId) == [mentor, mentee, other])
        #expect(notes.first?.body == "The session at 2027-05-03T10:00:00Z was cancelled.")
        #expect(notes.last?.body == "The group session at 2027-05-03T10:00:00Z was cancelled.")
    }

    /// The reminder's payload as PostgreSQL's `jsonb_build_object` writes it (a group session has a null mentee).
    func reminder(kind: String, bookingKind: String, mentee: UUID?) -> [UInt8] {
        let menteeJSON = mentee.map { "\"\($0)\"" } ?? "null"
        return Array(
            #"""
            {"id":5,"type":"booking.reminder","aggregate":"booking","aggregateId":"x","at":"2027-05-03T09:45:00Z","payload":{"id": "\#(UUID())", "kind": "\#(kind)", "start": "2027-05-03T10:00:00Z", "menteeId": \#(menteeJSON), "mentorId": "\#(mentor)", "bookingKind": "\#(bookingKind)"}}
            """#.utf8)
    }

    @Test func remindersReachTheRightPeople() async throws {
        let group = try await notes(reminder(kind: "15m", bookingKind: "group", mentee: nil))
        #expect(group.map(\.userId) == [mentor] && group.first?.title == "Session in 15 minutes")
        #expect(group.first?.body == "Your session starts in 15 minutes, at 2027-05-03T10:00:00Z.")
        #expect(try await notes(reminder(kind: "24h", bookingKind: "group_seat", mentee: mentee)).map(\.userId) == [mentee])
        let oneOnOne = try await notes(reminder(kind: "24h", bookingKind: "one_on_one", mentee: mentee))
        #expect(oneOnOne.map(\.userId) == [mentor, mentee] && oneOnOne.allSatisfy { $0.title == "Session tomorrow" })
    }

    @Test func reviewsAndPaymentsTellTheirOneReader() async throws {
        let review = Review(
            id: UUID(), bookingId: UUID(), mentorId: mentor, authorId: mentee, authorName: "Ada", rating: 4, comment: nil, reply: nil,
            createdAt: Self.start, repliedAt: nil)
        let reviewed = try await notes(try Self.message(6, ReviewEvent(name: .posted, payload: review)))
        #expect(reviewed.map(\.userId) == [mentor] && reviewed.first?.body == "You received a 4-star review.")
        let payment = Payment(
            paymentId: UUID(), userId: mentee, provider: .stripe, credits: 30, amount: 3000, currency: "usd", status: "succeeded", providerRef: nil,
            providerChargeRef: nil, clientSecret: nil, upiLink: nil, refundedCredits: 0, createdAt: Self.start)
        let paid = try await notes(try Self.message(7, PaymentEvent(name: .succeeded, payload: payment)))
        #expect(paid.map(\.userId) == [mentee] && paid.first?.title == "Credits added" && paid.first?.body == "30 credits were added to your wallet.")
        #expect(try await notes(try Self.message(8, PaymentEvent(name: .refunded, payload: payment))).isEmpty)
    }

    /// A known event whose payload the typed reader refuses is a failure (retried, then parked for replay), not a
    /// message quietly marked handled; a message that is no event at all is skipped.
    @Test func aPayloadThatDoesNotDecodeFailsAndIsNotMarkedHandled() async throws {
        let store = InMemoryNotificationStore()
        let message = Array(#"{"id":9,"type":"booking.created","payload":{"mentorId":"not-a-uuid"}}"#.utf8)
        await #expect(throws: (any Error).self) { _ = try await notes(message, store: store) }
        #expect(store.stored.isEmpty)
        #expect(try await store.handled(eventId: 9, consumer: NotificationConsumer.name) == false)
        #expect(try await notes(Array("not json".utf8), store: store).isEmpty)
    }
}

import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import RealtimeService
import ServiceSupport
import Testing

/// A room counts as empty (its recording stops) only when its last participant left, on whichever worker, and
/// nobody came back within the grace: a participant still there or a reload keeps it.
@Suite(.timeLimit(.minutes(1))) struct EmptyRoomsTests {
    @Test func theLastDepartureActsAfterTheGraceUnlessSomeoneCameBack() async throws {
        let f = RealtimeFixture(emptyGrace: .milliseconds(1500))
        let watcher = try #require(f.emptyRooms)
        let mentor = RealtimeFixture.user(.mentor)
        let mentee = RealtimeFixture.user(.mentee)
        let roomId = f.booking(mentor: mentor, mentee: mentee)
        let join = #"{"bookingId":"\#(roomId)"}"#
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await watcher.run() }
            defer { group.cancelAll() }
            let host = TestSession()
            let guest = TestSession()
            #expect(try await f.call("rooms.join", join, as: mentor, on: host, worker: 0).error == nil)
            #expect(try await f.call("rooms.join", join, as: mentee, on: guest, worker: 1).error == nil)

            // The mentee leaves; the mentor is still there.
            guest.close()
            try await f.eventually { try await f.presence.present(room: roomId) == [mentor.id] }
            try await Task.sleep(for: .milliseconds(500))
            #expect(f.emptied.all.isEmpty, "a room with someone in it is not empty")

            // The mentor reloads: the room is empty for a moment, and the mentor is back (on the other worker) within the grace.
            host.close()
            try await f.eventually { try await f.presence.present(room: roomId).isEmpty }
            let again = TestSession()
            #expect(try await f.call("rooms.join", join, as: mentor, on: again, worker: 1).error == nil)
            try await Task.sleep(for: .milliseconds(500))
            #expect(f.emptied.all.isEmpty, "a reload within the grace does not empty the room")

            // Now everyone is gone: once the grace is over, the room is acted on, once.
            again.close()
            try await f.eventually { f.emptied.all == [roomId] }
            try await Task.sleep(for: .milliseconds(400))
            #expect(f.emptied.all == [roomId])
        }
    }

    @Test func onlyTheLatestWaitActs() async throws {
        let presence = InMemoryPresence()
        let room = UUID()
        let acted = RealtimeFixture.EmptiedRooms()
        // The first wait ends at 1.2 s, the second at 2.2 s; the check at 1.6 s has 400 ms of slack either side.
        let watcher = EmptyRooms(presence: presence, grace: .milliseconds(1200)) { acted.append($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await watcher.run() }
            defer { group.cancelAll() }
            await watcher.left(room: room)
            try await Task.sleep(for: .milliseconds(1000))
            // Someone came and left again: the wait starts over from this departure.
            await watcher.left(room: room)
            try await Task.sleep(for: .milliseconds(600))
            #expect(acted.all.isEmpty, "the first wait was superseded")
            try await RealtimeFixture.eventually { acted.all == [room] }
            #expect(acted.all == [room])
            // A departure from a room someone is still in starts no wait.
            let busy = UUID()
            _ = try await presence.enter(room: busy, user: UUID())
            await watcher.left(room: busy)
            try await Task.sleep(for: .milliseconds(1500))
            #expect(acted.all == [room])
        }
    }
}

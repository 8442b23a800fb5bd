import Foundation
import Logging
import MentorLinkCore
import MentorLinkTesting
import RealtimeService
import Testing

/// The SFU janitor destroys the SFU rooms whose session is over (closed: its end plus the stay-late), cancelled
/// or unknown, and leaves the running ones and the rooms that are not MentorLink's.
@Suite struct SFURoomJanitorTests {
    @Test func roomsEndWithTheirSession() async throws {
        let sfu = InMemorySFU()
        let clock = TestClock(try #require(Instant(iso8601: "2027-05-03T06:00:00Z")))
        let rooms = InMemoryRoomStore(now: { clock.now })
        let mentor = UUID()
        let running = rooms.addGroup(mentor: mentor, mentees: [UUID()], startsAt: clock.now, endsAt: clock.now.adding(minutes: 60)).id
        let ended = rooms.addGroup(
            mentor: mentor, mentees: [UUID()], startsAt: clock.now.adding(minutes: -120), endsAt: clock.now.adding(minutes: -28)
        ).id
        let closed = rooms.addGroup(
            mentor: mentor, mentees: [UUID()], startsAt: clock.now.adding(minutes: -120), endsAt: clock.now.adding(minutes: -31)
        ).id
        let cancelled = rooms.addGroup(mentor: mentor, mentees: [UUID()], startsAt: clock.now, endsAt: clock.now.adding(minutes: 60)).id
        rooms.cancel(bookingId: cancelled)
        let unknown = UUID()
        for id in [running, ended, closed, cancelled, unknown] {
            try await sfu.createRoom(SFURoom(id: id.uuidString.lowercased(), publishers: 4))
        }
        // Not a MentorLink room id (an upper-case UUID is not how we name rooms either): not ours.
        for foreign in ["lobby", UUID().uuidString] { try await sfu.createRoom(SFURoom(id: foreign, publishers: 2)) }
        var configuration = RoomsConfiguration()
        configuration.now = { clock.now }
        // The running room's recording runs, but the SFU's switch was lost; the SFU records the ended one, whose
        // recording stopped.
        try await sfu.setRecording(room: ended.uuidString.lowercased(), recording: true)
        let janitor = SFURoomJanitor(
            sfu: sfu, rooms: rooms, configuration: configuration, isRecording: { $0 == running }, logger: Logger(label: "test"))

        // A closed room goes at once; a cancelled or unknown one once it was unknown a sweep interval (a minute) ago.
        #expect(try await janitor.sweep(now: clock.now) == [closed.uuidString.lowercased()])
        #expect(try await janitor.sweep(now: clock.now.adding(seconds: 30)).isEmpty)
        let destroyed = try await janitor.sweep(now: clock.now.adding(seconds: 60))
        #expect(Set(destroyed) == Set([cancelled, unknown].map { $0.uuidString.lowercased() }))
        // The one that ended 28 minutes ago is still within its stay-late.
        #expect(Set(try await sfu.roomIds()).isSuperset(of: [running, ended].map { $0.uuidString.lowercased() } + ["lobby"]))
        #expect(try await sfu.roomIds().count == 4)
        #expect(sfu.room(running.uuidString.lowercased())?.recording == true)
        #expect(sfu.room(ended.uuidString.lowercased())?.recording == false)
        #expect(try await janitor.sweep(now: clock.now).isEmpty)
        #expect(try await janitor.sweep(now: clock.now.adding(minutes: 2)) == [ended.uuidString.lowercased()])

        // The SFU down: the sweep fails (the service logs it and tries again later) and nothing changes.
        sfu.outage.set(true)
        await #expect(throws: SFUError.self) { try await janitor.sweep(now: clock.now.adding(minutes: 200)) }
        sfu.outage.set(false)
        #expect(try await sfu.roomIds().count == 3)
    }
}

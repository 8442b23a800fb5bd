import Foundation
import MentorLinkCore
import MentorLinkTesting
import RealtimeService
import Testing

/// Janus's own recording of an SFU room follows the room's recording: on when it starts (or when the room is created
/// on the SFU while it runs, as after a restart of the SFU), off when it stops; mesh rooms are never touched.
@Suite struct SFURecordingSwitchTests {
    @Test func theSFURecordsWhileTheRoomRecords() async throws {
        let sfu = InMemorySFU()
        let f = RealtimeFixture(sfu: sfu)
        let switcher = try #require(f.recordingSwitch)
        let mentor = RealtimeFixture.user(.mentor)
        let alice = RealtimeFixture.user(.mentee)
        let (roomId, _) = f.group(mentor: mentor, mentees: [alice], capacity: 12)
        let id = roomId.uuidString.lowercased()
        // Before anyone joined: nothing on the SFU yet, nothing fails.
        f.recording.set(roomId, true)
        await switcher.recordingChanged(roomId: roomId, recording: true)
        #expect(sfu.room(id) == nil)
        // The first join creates the room, recording since the room's recording runs.
        let session = TestSession()
        defer { session.close() }
        #expect(try await f.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#, as: alice, on: session).result?["topology"] as? String == "sfu")
        #expect(sfu.room(id)?.recording == true)
        await switcher.recordingChanged(roomId: roomId, recording: false)
        #expect(sfu.room(id)?.recording == false)
        await switcher.recordingChanged(roomId: roomId, recording: true)
        #expect(sfu.room(id)?.recording == true)
        // The SFU restarted (no rooms), the recording stopped meanwhile: the recreated room does not record.
        sfu.restart()
        f.recording.set(roomId, false)
        #expect(try await f.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#, as: mentor, on: session).result?["topology"] as? String == "sfu")
        #expect(sfu.room(id)?.recording == false)
        // The SFU down: the switch logs and returns.
        sfu.outage.set(true)
        await switcher.recordingChanged(roomId: roomId, recording: true)
        sfu.outage.set(false)
        #expect(sfu.room(id)?.recording == false)
    }

    @Test func meshRoomsAreLeftAlone() async throws {
        let sfu = InMemorySFU()
        let f = RealtimeFixture(sfu: sfu)
        let switcher = try #require(f.recordingSwitch)
        let mentor = RealtimeFixture.user(.mentor)
        let (small, _) = f.group(mentor: mentor, mentees: [RealtimeFixture.user(.mentee)], capacity: 3)
        // A room of that id on the SFU (not ours to switch: the room is a mesh).
        try await sfu.createRoom(SFURoom(id: small.uuidString.lowercased(), publishers: 4))
        await switcher.recordingChanged(roomId: small, recording: true)
        #expect(sfu.room(small.uuidString.lowercased())?.recording == false)
    }
}

import Foundation
import MentorLinkCore
import Testing

/// Channel names are part of the RPC contract (subscribe results and notifications carry them).
@Suite struct ChannelsTests {
    static let id = UUID(uuidString: "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D")!
    static let other = UUID(uuidString: "FFFFFFFF-0000-4000-8000-000000000001")!

    @Test func namesAreLowercaseAndStable() {
        #expect(Channels.user(Self.id) == "user:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
        #expect(Channels.availability(mentorId: Self.id) == "availability:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
        #expect(Channels.room(Self.id) == "room:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
        #expect(Channels.room(Self.id, user: Self.other) == "room:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d:user:ffffffff-0000-4000-8000-000000000001")
    }
}

public import Foundation
public import Logging
public import MentorLinkCore
public import ServiceLifecycle

/// Destroys the SFU rooms whose session is over: a room on the SFU whose MentorLink room closed (its end plus
/// ``RoomsConfiguration/stayLate``), was cancelled or never existed is destroyed, which disconnects whoever is still
/// in it. Rooms are created on demand by `rooms.join` (again after a restart of the SFU), so this is the only place
/// they end. Rooms whose id is not a MentorLink room id are not ours and are left alone.
///
/// One process runs it (worker 0): destroying a room twice is harmless, but one sweep is enough.
public struct SFURoomJanitor: Service {
    let sfu: any SFUGateway
    let rooms: any RoomStore
    let configuration: RoomsConfiguration
    let every: Duration
    let logger: Logger

    /// Sweeps every `every` (default a minute).
    public init(sfu: any SFUGateway, rooms: any RoomStore, configuration: RoomsConfiguration, every: Duration = .seconds(60), logger: Logger) {
        self.sfu = sfu
        self.rooms = rooms
        self.configuration = configuration
        self.every = every
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do { _ = try await sweep(now: configuration.now()) } catch {
                logger.warning("sfu.janitor_failed", metadata: ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: every)
        }
    }

    /// One pass (tests call it directly); returns the ids of the rooms it destroyed.
    @discardableResult public func sweep(now: Instant) async throws -> [String] {
        var destroyed: [String] = []
        for id in try await sfu.roomIds() {
            guard let roomId = UUID(uuidString: id), roomId.uuidString.lowercased() == id else { continue }
            if let room = try await rooms.room(bookingId: roomId), room.id == roomId, configuration.closes(room) > now { continue }
            if try await sfu.destroyRoom(id: id) {
                destroyed.append(id)
                logger.info("sfu.room_destroyed", metadata: ["room": .string(id)])
            }
        }
        return destroyed
    }
}

public import Foundation
public import Logging
public import MentorLinkCore
public import ServiceLifecycle
import Synchronization

/// Destroys the SFU rooms whose session is over: a room on the SFU whose MentorLink room closed (its end plus
/// ``RoomsConfiguration/stayLate``), was cancelled or never existed is destroyed, which disconnects whoever is still
/// in it. Rooms are created on demand by `rooms.join` (again after a restart of the SFU), so this is the only place
/// they end. Rooms whose id is not a MentorLink room id are not ours and are left alone; one whose id is a
/// lower-case UUID this database does not know (or a cancelled room's) is destroyed once it was already unknown a
/// sweep interval earlier: a room created a moment ago by a worker of another database sharing the SFU (a test's),
/// or whose booking is not visible yet, is not taken away under its participants.
///
/// It also puts right the SFU's recording of open rooms where it differs from the rooms' recordings (a switch lost
/// to a timeout, or two workers' switches arriving out of order).
///
/// One process runs it (worker 0): destroying a room twice is harmless, but one sweep is enough. A room that
/// cannot be destroyed or switched is logged and the sweep goes on.
public struct SFURoomJanitor: Service {
    let sfu: any SFUGateway
    let rooms: any RoomStore
    let configuration: RoomsConfiguration
    let every: Duration
    /// Whether a room's recording runs; `nil`: the SFU's recording is not reconciled.
    let isRecording: (@Sendable (UUID) async throws -> Bool)?
    let logger: Logger
    /// When each unknown room was first seen unknown.
    private let unknownSince = UnknownRooms()

    /// Sweeps every `every` (default a minute); with `isRecording`, also reconciles the SFU's recording of open rooms.
    public init(
        sfu: any SFUGateway, rooms: any RoomStore, configuration: RoomsConfiguration, every: Duration = .seconds(60),
        isRecording: (@Sendable (UUID) async throws -> Bool)? = nil, logger: Logger
    ) {
        self.isRecording = isRecording
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
            // A shutdown ends the wait at once.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
    }

    /// One pass (tests call it directly); returns the ids of the rooms it destroyed.
    @discardableResult public func sweep(now: Instant) async throws -> [String] {
        var destroyed: [String] = []
        for listed in try await sfu.listRooms() {
            let id = listed.id
            guard let roomId = UUID(uuidString: id), roomId.uuidString.lowercased() == id else { continue }
            do {
                let room = try await rooms.room(bookingId: roomId)
                if let room, room.id == roomId, configuration.closes(room) > now {
                    if let isRecording, case let wanted = try await isRecording(roomId), wanted != listed.recording {
                        try await sfu.setRecording(room: id, recording: wanted)
                        logger.info("sfu.recording_reconciled", metadata: ["room": .string(id), "recording": .stringConvertible(wanted)])
                    }
                    continue
                }
                if room == nil, !unknownSince.due(id, now: now, after: every) { continue }
                if try await sfu.destroyRoom(id: id) {
                    destroyed.append(id)
                    logger.info("sfu.room_destroyed", metadata: ["room": .string(id)])
                }
            } catch let error as SFUError {
                if case .unavailable = error { throw error }
                logger.warning("sfu.janitor_room_failed", metadata: ["room": .string(id), "error": .string("\(error)")])
            }
        }
        unknownSince.forget(destroyed)
        return destroyed
    }
}

/// The rooms a janitor found unknown, and since when.
final class UnknownRooms: Sendable {
    private let since = Mutex<[String: Instant]>([:])

    /// Whether `id`, unknown now, was unknown `after` ago already (it is noted otherwise).
    func due(_ id: String, now: Instant, after: Duration) -> Bool {
        since.withLock { since in
            guard let first = since[id] else {
                since[id] = now
                return false
            }
            return now.date.timeIntervalSince(first.date) >= Double(after.components.seconds)
        }
    }

    /// Forgets the destroyed rooms.
    func forget(_ destroyed: [String]) { since.withLock { since in for id in destroyed { since.removeValue(forKey: id) } } }
}

public import Foundation
public import Logging
public import MentorLinkCore

/// Keeps the SFU's own recording of a room in step with the room's MentorLink recording: on while it records, off
/// when it stops. The participants' uploads are the recording; Janus's `.mjr` files are the fallback the media
/// pipeline uses for someone whose upload never completed. Mesh rooms have nothing on the SFU and are left alone.
///
/// Best effort: a failure is logged and changes nothing else (the participants' own recordings go on); the SFU
/// janitor reconciles what a lost or reordered switch left wrong.
public struct SFURecordingSwitch: Sendable {
    let sfu: any SFUGateway
    let rooms: any RoomStore
    let configuration: RoomsConfiguration
    /// Whether the room's recording runs now (the recording store's view).
    public let isRecording: @Sendable (UUID) async throws -> Bool
    let logger: Logger

    /// Creates the switch over `sfu`; `isRecording` answers for a room id.
    public init(
        sfu: any SFUGateway, rooms: any RoomStore, configuration: RoomsConfiguration, isRecording: @escaping @Sendable (UUID) async throws -> Bool,
        logger: Logger
    ) {
        self.sfu = sfu
        self.rooms = rooms
        self.configuration = configuration
        self.isRecording = isRecording
        self.logger = logger
    }

    /// The room's recording started or stopped: the SFU's follows, if the room is on it (a room not created there
    /// yet is switched on by ``created(_:)`` when its first participant joins).
    public func recordingChanged(roomId: UUID, recording: Bool) async {
        do {
            guard let room = try await rooms.room(bookingId: roomId), room.id == roomId, configuration.usesSFU(room) else { return }
            let id = roomId.uuidString.lowercased()
            // Janus acts on a change only: a start after a lost stop would keep writing the old files, outside the new
            // recording's window. Off, then on, begins new files.
            if recording { try await sfu.setRecording(room: id, recording: false) }
            try await sfu.setRecording(room: id, recording: recording)
        } catch SFUError.notFound(_) {
        } catch {
            logger.warning("sfu.recording_switch_failed", metadata: ["room": .string(roomId.uuidString.lowercased()), "error": .string("\(error)")])
        }
    }

    /// The room was just created on the SFU: it records from the start when its recording runs.
    func created(_ room: RoomInfo) async {
        do {
            guard try await isRecording(room.id) else { return }
            try await sfu.setRecording(room: room.id.uuidString.lowercased(), recording: true)
            // A stop committed meanwhile (its switch found the room not recording yet): off again. The janitor puts
            // right what is left.
            if try await !isRecording(room.id) { try await sfu.setRecording(room: room.id.uuidString.lowercased(), recording: false) }
        } catch {
            logger.warning("sfu.recording_switch_failed", metadata: ["room": .string(room.id.uuidString.lowercased()), "error": .string("\(error)")])
        }
    }
}

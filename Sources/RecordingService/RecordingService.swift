public import Foundation
public import JSONRPC
public import MentorLinkCore
public import ServiceSupport

/// `recordings.*`: a room's recording (started by its mentor, or by itself when the booking consented to
/// auto-recording), its tracks (uploaded with tus at `/uploads/`, see ``TusUploads``) and its outputs as signed links.
///
/// Only the room's participants and admins see a recording; only its mentor (or an admin) deletes it. State changes
/// are pushed on the room's channel as `recording.started|stopped` (and `recording.ready` by the media consumer).
public struct RecordingService: RPCService {
    let store: any RecordingStore
    let rooms: any RoomStore
    let objects: any ObjectStore
    let bus: any EventBus
    let audit: any AuditLog
    let cursors: CursorCodec
    let configuration: RecordingConfiguration
    /// This host's upload staging (the tus endpoint's), whose files a deletion removes too.
    let staging: UploadStaging?
    let now: @Sendable () -> Instant
    /// Told when a room's recording starts (`true`) or stops (`false`): the SFU's own recording follows it.
    let recordingChanged: @Sendable (UUID, Bool) async -> Void

    /// Creates the service; with `staging`, a deletion also removes its tracks' staging files on this host (the media
    /// janitor sweeps what is left on others); `recordingChanged` hears of each start and stop (room id, recording).
    public init(
        store: any RecordingStore, rooms: any RoomStore, objects: any ObjectStore, bus: any EventBus, audit: any AuditLog,
        cursors: CursorCodec = .random(),
        configuration: RecordingConfiguration = RecordingConfiguration(), staging: UploadStaging? = nil,
        now: @escaping @Sendable () -> Instant = { Instant.now }, recordingChanged: @escaping @Sendable (UUID, Bool) async -> Void = { _, _ in }
    ) {
        self.recordingChanged = recordingChanged
        self.staging = staging
        self.store = store
        self.rooms = rooms
        self.objects = objects
        self.bus = bus
        self.audit = audit
        self.cursors = cursors
        self.configuration = configuration
        self.now = now
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register("recordings.start", summary: "Start recording a room (its mentor).", access: .authenticated, handler: start)
        registry.register("recordings.stop", summary: "Stop a room's recording (its mentor).", access: .authenticated, handler: stop)
        registry.register(
            "recordings.autoStart",
            summary: "Start a room's recording when its booking consented to auto-recording (any participant, once media flows).",
            access: .authenticated, handler: autoStart)
        registry.register("recordings.get", summary: "A recording, with signed links to its outputs.", access: .authenticated, handler: get)
        registry.register("recordings.list", summary: "Recordings you took part in, newest first.", access: .authenticated, handler: list)
        registry.register(
            "recordings.delete", summary: "Delete a recording and its media (its mentor or an admin).", access: .authenticated, handler: delete)
    }

    func start(_ params: RoomParams, _ context: RPCContext) async throws -> RecordingResult {
        let caller = try context.caller()
        let room = try await participantRoom(params.roomId, caller)
        guard room.mentorId == caller.id else { throw RecordingError.forbidden("only the session's mentor starts a recording") }
        guard room.recordConsent else { throw RecordingError.noConsent }
        let (recording, started) = try await store.start(
            roomId: room.id, mentorId: room.mentorId, startedBy: caller.id, auto: false, audit: context.auditEntry("recording.start"))
        if started { await announce(.started, recording) }
        return RecordingResult(recording: view(recording))
    }

    func autoStart(_ params: RoomParams, _ context: RPCContext) async throws -> OptionalRecordingResult {
        let caller = try context.caller()
        let room = try await participantRoom(params.roomId, caller)
        guard room.recordConsent else { return OptionalRecordingResult(recording: nil) }
        // Auto-recording starts a room's first recording only: once one was stopped (by the mentor, or because
        // everyone left), a page that comes back does not start another; the mentor can, with recordings.start.
        if let latest = try await store.recordings(roomId: room.id, participantId: nil, before: nil, limit: 1).first, latest.state != .recording {
            return OptionalRecordingResult(recording: nil)
        }
        let (recording, started) = try await store.start(
            roomId: room.id, mentorId: room.mentorId, startedBy: nil, auto: true,
            audit: context.auditEntry("recording.start", details: ["auto": "true"]))
        if started { await announce(.started, recording) }
        return OptionalRecordingResult(recording: view(recording))
    }

    func stop(_ params: RoomParams, _ context: RPCContext) async throws -> OptionalRecordingResult {
        let caller = try context.caller()
        let room = try await participantRoom(params.roomId, caller)
        guard room.mentorId == caller.id || caller.isAdmin else { throw RecordingError.forbidden("only the session's mentor stops a recording") }
        let stopped = try await store.stop(roomId: room.id, finalizeWithin: configuration.finalizeWithin, audit: context.auditEntry("recording.stop"))
        if let stopped { await announce(.stopped, stopped) }
        return OptionalRecordingResult(recording: stopped.map(view))
    }

    /// Stops the room's recording because everyone left (the worker's wiring calls it when the rooms service's
    /// presence says the room stayed empty for ``RecordingConfiguration/emptyRoomGrace``).
    public func stopBecauseEmpty(roomId: UUID) async throws {
        let audit = AuditEntry(actorId: nil, action: "recording.stop", details: ["reason": "room_empty"])
        if let stopped = try await store.stop(roomId: roomId, finalizeWithin: configuration.finalizeWithin, audit: audit) {
            await announce(.stopped, stopped)
        }
    }

    func get(_ params: RecordingParams, _ context: RPCContext) async throws -> RecordingResult {
        let recording = try await visibleRecording(params.recordingId, try context.caller())
        // Viewing hands out links to the media: audited (when there is media to view).
        if !recording.outputs.isEmpty {
            try await audit.appendAudit(context.auditEntry("recording.view", target: recording.id.uuidString.lowercased()))
        }
        return RecordingResult(recording: view(recording))
    }

    func list(_ params: ListParams, _ context: RPCContext) async throws -> ListResult {
        let caller = try context.caller()
        let limit = params.limit ?? 20
        guard (1...100).contains(limit) else { throw RecordingError.invalid([FieldProblem(field: "limit", problem: "1 to 100")]) }
        let position = try cursors.cursorParam(params.cursor, scope: "recordings.list", timeKeyed: true)
        let before = position.flatMap { cursor in cursor.instant.map { (createdAt: $0, id: cursor.id) } }
        var roomId: UUID?
        if let bookingId = params.bookingId {
            guard let room = try await rooms.room(bookingId: bookingId), caller.isAdmin || room.participantIds.contains(caller.id) else {
                throw RecordingError.notFound
            }
            roomId = room.id
        }
        let items = try await store.recordings(roomId: roomId, participantId: caller.isAdmin ? nil : caller.id, before: before, limit: limit)
        // No links in a list: each view of media goes through recordings.get, which audits it.
        return ListResult(
            items: items.map { view($0, links: false) },
            nextCursor: cursors.nextCursor(items, limit: limit, scope: "recordings.list") { PageCursor(instant: $0.createdAt, id: $0.id) })
    }

    func delete(_ params: RecordingParams, _ context: RPCContext) async throws -> DeleteResult {
        let caller = try context.caller()
        let recording = try await visibleRecording(params.recordingId, caller)
        guard recording.mentorId == caller.id || caller.isAdmin else {
            throw RecordingError.forbidden("only the mentor or an admin deletes a recording")
        }
        // While it records or is processed, bytes and outputs are still being written under its prefix: deleting then
        // would leave objects nothing points at (and let auto-recording start afresh). Stop it, or wait for it.
        if recording.state == .recording || recording.state == .processing {
            throw RecordingError.busy("the recording is \(recording.state.rawValue); stop it or wait until it is processed")
        }
        // Objects first: a failure leaves the row (and a retry deletes the rest); never a row pointing at nothing.
        do { try await objects.delete(prefix: ObjectKey.recording(recording.id.uuidString.lowercased())) } catch {
            throw RecordingError.unavailable("the media store cannot be reached")
        }
        let deleted = try await store.delete(id: recording.id, audit: context.auditEntry("recording.delete"))
        // Bytes of tracks that never reached the object store (incomplete, or not processed yet).
        for track in recording.tracks { staging?.remove(track.id) }
        return DeleteResult(deleted: deleted)
    }

    // MARK: Helpers

    func participantRoom(_ roomId: UUID, _ caller: Caller) async throws -> RoomInfo {
        guard let room = try await rooms.room(bookingId: roomId), room.id == roomId else { throw RecordingError.notFound }
        guard room.participantIds.contains(caller.id) || caller.isAdmin else { throw RecordingError.notFound }
        return room
    }

    /// The recording, if the caller took part in its room or is an admin (`not_found` otherwise: no probing).
    func visibleRecording(_ id: UUID, _ caller: Caller) async throws -> Recording {
        guard let recording = try await store.recording(id: id) else { throw RecordingError.notFound }
        if caller.isAdmin { return recording }
        guard let room = try await rooms.room(bookingId: recording.roomId), room.participantIds.contains(caller.id) else {
            throw RecordingError.notFound
        }
        return recording
    }

    func view(_ recording: Recording) -> RecordingView { view(recording, links: true) }

    /// The recording as callers see it; with `links`, its outputs with signed URLs (else none).
    func view(_ recording: Recording, links: Bool) -> RecordingView {
        let issued = now().epochSeconds
        let outputs = (links ? recording.outputs : []).compactMap { output -> OutputView? in
            guard let url = try? objects.signedURL(key: output.key, expiresIn: configuration.linkSeconds, now: issued) else { return nil }
            return OutputView(kind: output.kind, url: url, durationMs: output.durationMs, participantId: output.participantId)
        }
        return RecordingView(
            id: recording.id, roomId: recording.roomId, state: recording.state, auto: recording.auto, startedAt: recording.startedAt,
            stoppedAt: recording.stoppedAt, progress: recording.progress, failure: recording.failure, gaps: recording.gaps,
            tracks: recording.tracks.map {
                TrackView(
                    id: $0.id, participantId: $0.participantId, bytes: $0.bytes, length: $0.length, durationMs: $0.durationMs,
                    startedAt: $0.startedAt,
                    complete: $0.isComplete)
            }, outputs: outputs)
    }

    /// A start or stop: pushed on the room's channel, and told to ``recordingChanged``.
    func announce(_ name: RecordingEvent.Name, _ recording: Recording) async {
        await push(name, recording)
        await recordingChanged(recording.roomId, name == .started)
    }

    /// Pushes `recording.<name>` with the recording's state on its room's channel (best effort: the outbox notifies).
    func push(_ name: RecordingEvent.Name, _ recording: Recording) async {
        let event: JSONValue = .object([
            "type": .string(name.rawValue), "recordingId": .string(recording.id.uuidString.lowercased()), "state": .string(recording.state.rawValue),
        ])
        _ = try? await bus.publish(channel: Channels.room(recording.roomId), event: Array(event.encoded()))
    }
}

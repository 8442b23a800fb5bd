public import Foundation
public import Logging
public import MentorLinkCore
public import ServiceLifecycle

/// The media process's periodic work: recordings still running well after their session ended are stopped (the
/// worker that would have stopped them when the room emptied may have died), finalizing recordings whose tracks did
/// not all arrive in time are processed with what came (`recording.processing`), recordings older than the retention
/// are deleted with their media, and this host's upload staging loses the files nobody can use any more (a deleted
/// recording's or track's, an incomplete track's past its tus expiry), as does Janus's recordings directory.
public struct RecordingJanitor: Service {
    let store: any RecordingStore
    let objects: any ObjectStore
    let retention: Duration
    let every: Duration
    /// The upload staging directory of this host (`<root>/<track id>.part`); `nil`: none swept.
    let stagingRoot: String?
    /// Janus's recordings directory on this host (`.mjr` files); `nil`: none swept.
    let janusRecordings: String?
    /// How long after its session's end a recording that still runs is stopped.
    let overrunMargin: Duration
    /// The finalize deadline such a stop gives the tracks' last bytes.
    let finalizeWithin: Duration
    let logger: Logger

    /// Creates the janitor (every `every`, deleting recordings older than `retention`, stopping recordings running
    /// `overrunMargin` past their session's end — by default an hour, past the room's closing 30 minutes after it —,
    /// sweeping `stagingRoot`).
    public init(
        store: any RecordingStore, objects: any ObjectStore, retention: Duration, every: Duration = .seconds(30), stagingRoot: String? = nil,
        overrunMargin: Duration = .seconds(3600), finalizeWithin: Duration = .seconds(900), janusRecordings: String? = nil, logger: Logger
    ) {
        self.janusRecordings = janusRecordings
        self.store = store
        self.objects = objects
        self.retention = retention
        self.every = every
        self.stagingRoot = stagingRoot
        self.overrunMargin = overrunMargin
        self.finalizeWithin = finalizeWithin
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelledOrShuttingDown {
            await sweep(now: Instant.now)
            try? await Task.sleep(for: every)
        }
    }

    /// One pass (tests call it directly); a step that fails is logged and does not keep the others from running.
    public func sweep(now: Instant) async {
        await step("stop_overrun") {
            let cutoff = Instant(now.date.addingTimeInterval(-Double(overrunMargin.components.seconds)))
            for room in try await store.overrunRooms(endedBefore: cutoff, limit: 100) {
                let audit = AuditEntry(actorId: nil, action: "recording.stop", details: ["reason": "session_over"])
                if try await store.stop(roomId: room, finalizeWithin: finalizeWithin, audit: audit) != nil {
                    logger.info("media.stopped_overrun", metadata: ["room": .string(room.uuidString.lowercased())])
                }
            }
        }
        await step("finalize_overdue") {
            let overdue = try await store.finalizeOverdue(now: now)
            if !overdue.isEmpty { logger.info("media.finalized_overdue", metadata: ["count": .stringConvertible(overdue.count)]) }
        }
        await step("retention") {
            let cutoff = Instant(now.date.addingTimeInterval(-Double(retention.components.seconds)))
            for recording in try await store.expired(before: cutoff, limit: 100) {
                try await objects.delete(prefix: ObjectKey.recording(recording.id.uuidString.lowercased()))
                let audit = AuditEntry(actorId: nil, action: "recording.delete", details: ["reason": "retention"])
                _ = try await store.delete(id: recording.id, audit: audit)
                for track in recording.tracks { unstage(track.id) }
            }
        }
        await step("staging") { try await sweepStaging(now: now) }
        await step("janus_recordings") { try await sweepJanusRecordings(now: now) }
    }

    /// Removes the staging files of tracks that are gone (terminated, or their recording deleted) or incomplete
    /// past their tus expiry (no PATCH is accepted any more). A complete track's file stays: the media consumer moves
    /// it into the object store.
    func sweepStaging(now: Instant) async throws {
        guard let stagingRoot, let names = try? FileManager.default.contentsOfDirectory(atPath: stagingRoot) else { return }
        for name in names where name.hasSuffix(".part") {
            guard let id = UUID(uuidString: String(name.dropLast(".part".count))) else { continue }
            if let (track, _) = try await store.track(id: id), track.isComplete || track.expiresAt > now { continue }
            unstage(id)
        }
    }

    /// Removes Janus's `.mjr` files nobody can use any more: older than the retention, or of a room that has no
    /// recording (deleted, or none ever) and over an hour old (a fallback is read within minutes of a recording's
    /// end). Files Janus is still writing (`.mjr.tmp`) are left until they are past the retention.
    func sweepJanusRecordings(now: Instant) async throws {
        guard let directory = janusRecordings, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let expired = now.date.addingTimeInterval(-Double(retention.components.seconds))
        let stale = now.date.addingTimeInterval(-3600)
        var recorded: [UUID: Bool] = [:]
        for name in names where name.hasPrefix("videoroom-") && (name.hasSuffix(".mjr") || name.hasSuffix(".mjr.tmp")) {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < stale else {
                continue
            }
            var remove = modified < expired
            if !remove, name.hasSuffix(".mjr"), let room = UUID(uuidString: String(name.dropFirst("videoroom-".count).prefix(36))) {
                if recorded[room] == nil {
                    recorded[room] = try await !store.recordings(roomId: room, participantId: nil, before: nil, limit: 1).isEmpty
                }
                remove = recorded[room] == false
            }
            if remove { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    /// Removes track `id`'s staging file, if there is one.
    func unstage(_ id: UUID) {
        guard let stagingRoot else { return }
        try? FileManager.default.removeItem(atPath: "\(stagingRoot)/\(id.uuidString.lowercased()).part")
    }

    func step(_ name: String, _ body: () async throws -> Void) async {
        do { try await body() } catch {
            logger.warning("media.janitor_failed", metadata: ["step": .string(name), "error": .string("\(error)")])
        }
    }
}

extension Task where Success == Never, Failure == Never {
    /// Cancelled, or the service group is shutting down.
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}

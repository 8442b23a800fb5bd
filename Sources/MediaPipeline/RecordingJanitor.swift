public import Foundation
public import Logging
public import MentorLinkCore
public import ServiceLifecycle

/// The media process's periodic work: finalizing recordings whose tracks did not all arrive in time are processed
/// with what came (`recording.processing`), and recordings older than the retention are deleted with their media.
public struct RecordingJanitor: Service {
    let store: any RecordingStore
    let objects: any ObjectStore
    let retention: Duration
    let every: Duration
    let logger: Logger

    /// Creates the janitor (every `every`, deleting recordings older than `retention`).
    public init(store: any RecordingStore, objects: any ObjectStore, retention: Duration, every: Duration = .seconds(30), logger: Logger) {
        self.store = store
        self.objects = objects
        self.retention = retention
        self.every = every
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelledOrShuttingDown {
            await sweep(now: Instant.now)
            try? await Task.sleep(for: every)
        }
    }

    /// One pass (tests call it directly).
    public func sweep(now: Instant) async {
        do {
            let overdue = try await store.finalizeOverdue(now: now)
            if !overdue.isEmpty { logger.info("media.finalized_overdue", metadata: ["count": .stringConvertible(overdue.count)]) }
            let cutoff = Instant(now.date.addingTimeInterval(-Double(retention.components.seconds)))
            for recording in try await store.expired(before: cutoff, limit: 100) {
                try await objects.delete(prefix: ObjectKey.recording(recording.id.uuidString.lowercased()))
                let audit = AuditEntry(actorId: nil, action: "recording.delete", details: ["reason": "retention"])
                _ = try await store.delete(id: recording.id, audit: audit)
            }
        } catch {
            logger.warning("media.janitor_failed", metadata: ["error": .string("\(error)")])
        }
    }
}

extension Task where Success == Never, Failure == Never {
    /// Cancelled, or the service group is shutting down.
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}

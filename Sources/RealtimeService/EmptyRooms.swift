public import Foundation
public import MentorLinkCore
public import ServiceLifecycle
import Synchronization

/// Acts on rooms that stay empty: when a participant's last session leaves a room (``RoomsService`` tells it) and
/// the room's presence, shared by every worker, is empty, it waits `grace`; if the room is still empty then and no
/// later departure on this worker restarted the wait, it calls `action` with the room's id (the wiring stops the
/// room's recording). A participant who comes back within the grace, as a reload does, keeps the room from counting
/// as empty.
///
/// The waits run in ``run()``, a `Service`: a worker that shuts down or dies forgets them (the media janitor stops
/// recordings that outlive their session).
public final class EmptyRooms: Service {
    let presence: any Presence
    let grace: Duration
    let action: @Sendable (UUID) async -> Void
    private let departures: AsyncStream<UUID>
    private let continuation: AsyncStream<UUID>.Continuation
    /// Per room, the number of the latest wait begun on this worker: only the latest acts.
    private let latest = Mutex<[UUID: Int]>([:])

    /// Waits `grace` after each room's last departure before calling `action`.
    public init(presence: any Presence, grace: Duration, action: @escaping @Sendable (UUID) async -> Void) {
        self.presence = presence
        self.grace = grace
        self.action = action
        (departures, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    /// A participant's last session left `room`: when nobody is left, the wait begins.
    public func left(room: UUID) async {
        guard let present = try? await presence.present(room: room), present.isEmpty else { return }
        continuation.yield(room)
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for await room in departures.cancelOnGracefulShutdown() {
                let wait = latest.withLock { latest in
                    let next = (latest[room] ?? 0) + 1
                    latest[room] = next
                    return next
                }
                group.addTask { await self.settle(room, wait: wait) }
            }
            // Shutting down: the waits under way end now rather than hold the shutdown up.
            group.cancelAll()
        }
    }

    /// After the grace: acts when this is still the room's latest wait and the room is still empty.
    func settle(_ room: UUID, wait: Int) async {
        do { try await Task.sleep(for: grace) } catch { return }
        let isLatest = latest.withLock { latest in
            guard latest[room] == wait else { return false }
            latest[room] = nil
            return true
        }
        guard isLatest, let present = try? await presence.present(room: room), present.isEmpty else { return }
        await action(room)
    }
}

import Synchronization

/// Races a call against a deadline without waiting for a handler that ignores cancellation: the answer is whichever
/// comes first, and the loser is cancelled (the handler's task) or dropped (its late result).
enum CallDeadline {
    /// `body`'s value, or `timedOut` when `limit` passes first (then `onTimeout` runs and `body`'s task is cancelled).
    static func race<T: Sendable>(
        _ limit: Duration, timedOut: T, _ body: @escaping @Sendable () async -> T, onTimeout: @escaping @Sendable () -> Void
    ) async -> T {
        let race = Race<T>()
        let work = Mutex<Task<Void, Never>?>(nil)
        // Cancelling the caller (a shutdown, a cancelled batch) cancels the handler too.
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                race.start(continuation)
                let task = Task {
                    let value = await body()
                    race.finish(value)
                }
                work.withLock { $0 = task }
                let timer = Task {
                    try await Task.sleep(for: limit)
                    if race.finish(timedOut) {
                        onTimeout()
                        task.cancel()
                    }
                }
                race.whenFinished { timer.cancel() }
            }
        } onCancel: {
            work.withLock { $0 }?.cancel()
        }
    }

    /// The one resumption of the race's continuation, and what runs once it is resumed.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, Never>?
            var finished = false
            var cleanup: (@Sendable () -> Void)?
        }

        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T, Never>) { state.withLock { $0.continuation = continuation } }

        /// Resumes with `value` if nothing did yet; returns whether this call did.
        @discardableResult func finish(_ value: T) -> Bool {
            let (continuation, cleanup): (CheckedContinuation<T, Never>?, (@Sendable () -> Void)?) = state.withLock { state in
                guard !state.finished else { return (nil, nil) }
                state.finished = true
                defer {
                    state.continuation = nil
                    state.cleanup = nil
                }
                return (state.continuation, state.cleanup)
            }
            guard let continuation else { return false }
            continuation.resume(returning: value)
            cleanup?()
            return true
        }

        /// Runs `cleanup` once the race is finished (at once if it already is).
        func whenFinished(_ cleanup: @escaping @Sendable () -> Void) {
            let now = state.withLock { state in
                if state.finished { return true }
                state.cleanup = cleanup
                return false
            }
            if now { cleanup() }
        }
    }
}

import Foundation

/// Runs blocking media work on a thread of its own, never on the Swift concurrency pool (a transcode holds its
/// thread for seconds to minutes; on the pool it would starve every other task).
enum MediaThread {
    /// Runs `body` on a new thread and resumes with its result. Not cancellable: the C call runs to its end.
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

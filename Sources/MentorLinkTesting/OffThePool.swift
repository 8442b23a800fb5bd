import Foundation

/// Runs blocking code (a socket client's `call`, a semaphore wait) on a thread of its own, so it never holds one of
/// Swift concurrency's few cooperative threads while the server it talks to needs them.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        Thread { do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) } }.start()
    }
}

public import Logging
public import MentorLinkCore
public import ServiceLifecycle
import Synchronization

/// A Redis client over one pipelined connection (Redis executes one command at a time, so one connection with
/// pipelining keeps it busy). Reconnects on the next command after the connection drops.
public final class RedisClient: Service, HealthCheck, Sendable {
    public let name = "redis"
    let address: RedisAddress
    let logger: Logger
    let commandTimeout: Duration
    let reconnect: RedisBackoff
    private let connection = Mutex<State>(.idle)
    private let attempts = Atomic<Int>(0)

    /// Creates a client; nothing connects until the first command. A command without a reply within
    /// `commandTimeout` fails with ``RedisAdapterError/timeout``; failed connection attempts back off by `reconnect`.
    public init(address: RedisAddress, logger: Logger, commandTimeout: Duration = .seconds(2), reconnect: RedisBackoff = RedisBackoff()) {
        self.address = address
        self.logger = logger
        self.commandTimeout = commandTimeout
        self.reconnect = reconnect
    }

    /// Connection attempts so far (for tests and metrics).
    public var connectAttempts: Int { attempts.load(ordering: .relaxed) }

    /// Runs one command; an error reply becomes ``RedisAdapterError/server(_:)``.
    @discardableResult public func send(_ arguments: String...) async throws -> RedisValue { try await send(arguments) }

    /// Runs one command given as an array.
    @discardableResult public func send(_ arguments: [String]) async throws -> RedisValue {
        let reply = try await pipeline([arguments])[0]
        if case .error(let message) = reply { throw RedisAdapterError.server(message) }
        return reply
    }

    /// Sends several commands in one write; returns every reply (error replies included, as values).
    public func pipeline(_ commands: [[String]]) async throws -> [RedisValue] {
        let current = try await currentConnection()
        do { return try await current.send(commands, timeout: commandTimeout) } catch {
            invalidate(current)
            throw error
        }
    }

    public func check() async throws { guard try await send("PING").string == "PONG" else { throw RedisAdapterError.protocolError("PING") } }

    public func run() async throws {
        try? await gracefulShutdown()
        let current = connection.withLock { state -> RedisConnection? in
            defer { state = .idle }
            if case .connected(let current) = state { return current }
            return nil
        }
        await current?.close()
    }

    private enum State {
        case idle
        case connecting(Task<RedisConnection, any Error>)
        case connected(RedisConnection)
        /// The last `failures` attempts failed; the next may start at `retryAt`.
        case backingOff(failures: Int, retryAt: ContinuousClock.Instant)
    }

    /// The connection, connecting when there is none. While Redis is unreachable, attempts are spaced by the backoff:
    /// a command in between fails at once with ``RedisAdapterError/reconnecting`` instead of connecting again.
    private func currentConnection() async throws -> RedisConnection {
        let now = ContinuousClock.now
        let (task, failures): (Task<RedisConnection, any Error>, Int) = try connection.withLock { state in
            switch state {
            case .connected(let current) where current.isActive: return (Task { current }, 0)
            case .connecting(let task): return (task, 0)
            case .backingOff(_, let retryAt) where now < retryAt: throw RedisAdapterError.reconnecting
            default:
                var failures = 0
                if case .backingOff(let count, _) = state { failures = count }
                let address = self.address
                attempts.add(1, ordering: .relaxed)
                let task = Task { try await RedisConnection.connect(to: address) }
                state = .connecting(task)
                return (task, failures)
            }
        }
        do {
            let current = try await task.value
            connection.withLock { state in if case .connecting(let pending) = state, pending == task { state = .connected(current) } }
            return current
        } catch {
            let delay = reconnect.delay(afterFailures: failures + 1)
            connection.withLock { state in
                if case .connecting(let pending) = state, pending == task {
                    state = .backingOff(failures: failures + 1, retryAt: ContinuousClock.now + delay)
                }
            }
            logger.warning(
                "redis.connect_failed",
                metadata: [
                    "error": .string(String(describing: error)),
                    "retry_ms": .string("\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)"),
                ])
            // The socket's own error (refused, no such file) is logged; callers see the retryable outage, as the
            // calls during the backoff do.
            throw error is RedisAdapterError ? error : RedisAdapterError.reconnecting
        }
    }

    private func invalidate(_ stale: RedisConnection) {
        connection.withLock { state in if case .connected(let current) = state, current === stale { state = .idle } }
    }
}

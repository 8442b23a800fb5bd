import Synchronization
public import Logging
public import ServiceLifecycle
public import MentorLinkCore

/// A Redis client over one pipelined connection (Redis executes one command at a time, so one connection with
/// pipelining keeps it busy). Reconnects on the next command after the connection drops.
public final class RedisClient: Service, HealthCheck, Sendable {
    public let name = "redis"
    let address: RedisAddress
    let logger: Logger
    private let connection = Mutex<State>(.idle)

    /// Creates a client; nothing connects until the first command.
    public init(address: RedisAddress, logger: Logger) {
        self.address = address
        self.logger = logger
    }

    /// Runs one command; an error reply becomes ``RedisAdapterError/server(_:)``.
    @discardableResult
    public func send(_ arguments: String...) async throws -> RedisValue {
        try await send(arguments)
    }

    /// Runs one command given as an array.
    @discardableResult
    public func send(_ arguments: [String]) async throws -> RedisValue {
        let reply = try await pipeline([arguments])[0]
        if case .error(let message) = reply { throw RedisAdapterError.server(message) }
        return reply
    }

    /// Sends several commands in one write; returns every reply (error replies included, as values).
    public func pipeline(_ commands: [[String]]) async throws -> [RedisValue] {
        let current = try await currentConnection()
        do {
            return try await current.send(commands)
        } catch {
            invalidate(current)
            throw error
        }
    }

    public func check() async throws {
        guard try await send("PING").string == "PONG" else { throw RedisAdapterError.protocolError("PING") }
    }

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
    }

    private func currentConnection() async throws -> RedisConnection {
        let task: Task<RedisConnection, any Error> = connection.withLock { state in
            switch state {
            case .connected(let current) where current.isActive:
                return Task { current }
            case .connecting(let task):
                return task
            default:
                let address = self.address
                let task = Task { try await RedisConnection.connect(to: address) }
                state = .connecting(task)
                return task
            }
        }
        do {
            let current = try await task.value
            connection.withLock { state in
                if case .connecting(let pending) = state, pending == task { state = .connected(current) }
            }
            return current
        } catch {
            connection.withLock { state in
                if case .connecting(let pending) = state, pending == task { state = .idle }
            }
            logger.warning("redis.connect_failed", metadata: ["error": .string(String(describing: error))])
            throw error
        }
    }

    private func invalidate(_ stale: RedisConnection) {
        connection.withLock { state in
            if case .connected(let current) = state, current === stale { state = .idle }
        }
    }
}

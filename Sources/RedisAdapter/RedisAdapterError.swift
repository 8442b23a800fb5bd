/// Errors of the Redis adapter.
public enum RedisAdapterError: Error, Equatable, CustomStringConvertible {
    /// Redis answered with an error reply.
    case server(String)
    /// The connection closed before the reply arrived.
    case connectionClosed
    /// The bytes from Redis could not be parsed.
    case protocolError(String)
    /// The address could not be understood.
    case badAddress(String)
    /// No reply came within the command timeout; the connection was dropped. Retryable.
    case timeout
    /// Redis is unreachable and the client waits out its reconnect backoff before trying again. Retryable.
    case reconnecting

    /// Whether the same command may succeed if tried again later (Redis slow, restarting or away).
    public var isRetryable: Bool {
        switch self {
        case .timeout, .reconnecting, .connectionClosed: true
        // Redis loading its data, busy with a script, a read-only replica, or a cluster in transition.
        case .server(let message): ["LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN"].contains { message.hasPrefix($0) }
        case .protocolError, .badAddress: false
        }
    }

    public var description: String {
        switch self {
        case .server(let message): "redis: \(message)"
        case .connectionClosed: "redis connection closed"
        case .protocolError(let message): "redis protocol error: \(message)"
        case .badAddress(let address): "bad redis address \(address)"
        case .timeout: "redis: no reply within the command timeout (retryable)"
        case .reconnecting: "redis unreachable: waiting before the next connection attempt (retryable)"
        }
    }
}

extension RedisAdapterError {
    /// `"redis"` when `error` is a retryable Redis error (away, restarting, too slow); the caller answers `unavailable`.
    public static func outageDependency(of error: any Error) -> String? {
        guard let redis = error as? RedisAdapterError, redis.isRetryable else { return nil }
        return "redis"
    }
}

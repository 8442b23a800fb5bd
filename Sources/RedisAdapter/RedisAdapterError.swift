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

    public var description: String {
        switch self {
        case .server(let message): "redis: \(message)"
        case .connectionClosed: "redis connection closed"
        case .protocolError(let message): "redis protocol error: \(message)"
        case .badAddress(let address): "bad redis address \(address)"
        }
    }
}

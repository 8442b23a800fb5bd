/// Where Redis listens: a Unix socket (development, tests) or TCP (`REDIS_URL=redis://host:port`).
public enum RedisAddress: Sendable, Hashable {
    case unix(path: String)
    case tcp(host: String, port: Int)

    /// Parses `unix:///path`, `/path`, or `redis://host[:port]`.
    public init(_ text: String) throws {
        if text.hasPrefix("unix://") {
            self = .unix(path: String(text.dropFirst("unix://".count)))
        } else if text.hasPrefix("/") {
            self = .unix(path: text)
        } else if text.hasPrefix("redis://") {
            let rest = text.dropFirst("redis://".count).split(separator: "/").first.map(String.init) ?? ""
            let parts = rest.split(separator: ":")
            guard let host = parts.first, !host.isEmpty else { throw RedisAdapterError.badAddress(text) }
            let port = parts.count > 1 ? Int(parts[1]) : 6379
            guard let port else { throw RedisAdapterError.badAddress(text) }
            self = .tcp(host: String(host), port: port)
        } else {
            throw RedisAdapterError.badAddress(text)
        }
    }
}

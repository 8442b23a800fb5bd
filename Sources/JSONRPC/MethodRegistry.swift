/// Collects the methods of every service. The executable builds one, each service registers into it,
/// and ``RPCDispatcher`` serves the result.
public struct MethodRegistry: Sendable {
    /// The registered methods by name.
    public internal(set) var methods: [String: MethodDescriptor] = [:]

    /// Creates an empty registry.
    public init() {}

    /// Registers a method with typed params and result.
    ///
    /// - Parameters:
    ///   - name: `service.method`; names starting `rpc.` are reserved for the protocol.
    ///   - access: who may call it (checked centrally before the handler runs).
    ///   - rateLimit: its rate-limit class.
    ///   - idempotent: whether it takes an idempotency key.
    public mutating func register<P: Decodable & Sendable, R: Codable & Sendable>(
        _ name: String, summary: String = "", access: Access, rateLimit: RateLimitClass = .standard, idempotent: Bool = false,
        instant: Bool = false, params: P.Type = P.self, result: R.Type = R.self, handler: @escaping @Sendable (P, RPCContext) async throws -> R
    ) {
        precondition(!name.hasPrefix("rpc."), "rpc.* is reserved for the protocol")
        precondition(methods[name] == nil, "method \(name) registered twice")
        precondition(!instant || rateLimit == .none, "an instant method takes no rate-limit token (that is I/O)")
        methods[name] = MethodDescriptor(
            name: name, summary: summary, access: access, rateLimit: rateLimit, idempotent: idempotent, instant: instant, handler: handler)
    }

    /// Adds every method of a service.
    public mutating func mount(_ service: some RPCService) { service.register(into: &self) }
}

/// A service hands its methods over as one collection that the executable mounts.
public protocol RPCService: Sendable {
    /// Registers this service's methods.
    func register(into registry: inout MethodRegistry)
}

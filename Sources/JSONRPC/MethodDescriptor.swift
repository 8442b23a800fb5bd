import Foundation

/// Who may call a method.
public enum Access: Sendable, Hashable {
    /// Anyone, signed in or not.
    case `public`
    /// Any signed-in user.
    case authenticated
    /// Signed-in users holding one of these roles.
    case roles(Set<RPCRole>)

    /// Signed-in users holding one of the given roles.
    public static func only(_ roles: RPCRole...) -> Access { .roles(Set(roles)) }

    /// Whether a caller is let in, or the error that refuses them.
    public func check(_ principal: Principal?) -> RPCError? {
        switch self {
        case .public: return nil
        case .authenticated: return principal == nil ? .unauthenticated() : nil
        case .roles(let allowed):
            guard let principal else { return .unauthenticated() }
            return principal.roles.isDisjoint(with: allowed) ? .forbidden() : nil
        }
    }

    var jsonValue: JSONValue {
        switch self {
        case .public: "public"
        case .authenticated: "authenticated"
        case .roles(let roles): .array(roles.map(\.rawValue).sorted().map(JSONValue.string))
        }
    }
}

/// The rate-limit class a method belongs to; the limiter decides what each class allows.
public struct RateLimitClass: RawRepresentable, Hashable, Sendable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Not limited beyond the edge.
    public static let none = RateLimitClass(rawValue: "none")
    /// The ordinary per-caller budget.
    public static let standard = RateLimitClass(rawValue: "standard")
    public static let login = RateLimitClass(rawValue: "login")
    public static let registration = RateLimitClass(rawValue: "registration")
    public static let booking = RateLimitClass(rawValue: "booking")
    public static let chat = RateLimitClass(rawValue: "chat")
    public static let payments = RateLimitClass(rawValue: "payments")
}

/// A registered method: its declaration and its type-erased invoker.
public struct MethodDescriptor: Sendable {
    /// `service.method`.
    public var name: String
    /// One line for the OpenRPC document.
    public var summary: String
    /// Who may call it.
    public var access: Access
    /// Its rate-limit class.
    public var rateLimit: RateLimitClass
    /// Whether it takes an idempotency key and may be safely replayed; its `idempotencyKey` param is then checked
    /// against ``IdempotencyKey`` with the params' schema (positional params included).
    public var idempotent: Bool
    /// Whether it answers at once from memory (no I/O, no waiting, and rate-limit class ``RateLimitClass/none``, so no
    /// limiter call either): it then runs outside the call deadline, whose timer and tasks cost more than such a call
    /// (`system.ping`, `system.version`).
    public var instant: Bool = false
    /// Schema of the params, derived from the params type.
    public var paramsSchema: JSONSchema
    /// Schema of the result, derived from the result type.
    public var resultSchema: JSONSchema
    /// Decodes params, runs the handler, encodes the result.
    let invoke: @Sendable (JSONValue?, RPCContext) async throws -> Data
}

extension MethodDescriptor {
    init<P: Decodable & Sendable, R: Codable & Sendable>(
        name: String, summary: String, access: Access, rateLimit: RateLimitClass, idempotent: Bool, instant: Bool = false,
        handler: @escaping @Sendable (P, RPCContext) async throws -> R
    ) {
        let paramsSchema = SchemaRecorder.schema(for: P.self)
        self.instant = instant
        self.name = name
        self.summary = summary
        self.access = access
        self.rateLimit = rateLimit
        self.idempotent = idempotent
        self.paramsSchema = paramsSchema
        self.resultSchema = SchemaRecorder.schema(for: R.self)
        self.invoke = { raw, context in
            let params: P = try ParamsDecoder.decode(P.self, from: raw, schema: paramsSchema, idempotent: idempotent)
            let result = try await handler(params, context)
            return try JSONCoding.encoder.encode(result)
        }
    }
}

/// Params of a method that takes none.
public struct NoParams: Codable, Sendable, Hashable { public init() {} }

public import Logging

/// A role a caller may hold. The set is open so the core can name its own; the three of the product are here.
public struct RPCRole: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let admin = RPCRole(rawValue: "admin")
    public static let mentor = RPCRole(rawValue: "mentor")
    public static let mentee = RPCRole(rawValue: "mentee")
    /// The three roles of the product, for tests that walk every role.
    public static let all: [RPCRole] = [.admin, .mentor, .mentee]

    public var description: String { rawValue }
}

/// Who is calling, once authentication has run.
public struct Principal: Sendable, Hashable {
    /// The user's id.
    public var userId: String
    /// The roles the user holds.
    public var roles: Set<RPCRole>
    /// The session family the credentials belong to, if any.
    public var sessionId: String?

    /// Creates a principal.
    public init(userId: String, roles: Set<RPCRole>, sessionId: String? = nil) {
        self.userId = userId
        self.roles = roles
        self.sessionId = sessionId
    }
}

/// The per-request context a handler receives: request id, logger, caller and transport facts.
public struct RPCContext: Sendable {
    /// The request id (from nginx's `X-Request-Id`, or made by the worker).
    public var requestId: String
    /// A logger carrying `request.id`.
    public var logger: Logger
    /// The authenticated caller, or `nil` for an anonymous call.
    public var principal: Principal?
    /// The client's address as nginx reported it.
    public var clientAddress: String?
    /// The transport the call came on.
    public var transport: Transport
    /// Cookies, bearer token and origin of the request.
    public var credentials: RequestCredentials
    /// Response headers a handler wants set (cookies); shared by every call of one HTTP request.
    public let response: ResponseMetadata
    /// The WebSocket session the call came on (subscriptions push to it); `nil` over HTTP.
    public var session: (any RPCSession)?

    /// How a call reached the worker.
    public enum Transport: String, Sendable {
        case http
        case webSocket
        case inProcess
    }

    /// Creates a context; the logger gets the request id attached here, once.
    public init(
        requestId: String, logger: Logger, principal: Principal? = nil, clientAddress: String? = nil, transport: Transport = .inProcess,
        credentials: RequestCredentials = RequestCredentials(), response: ResponseMetadata = ResponseMetadata(), session: (any RPCSession)? = nil
    ) {
        var logger = logger
        logger[metadataKey: "request.id"] = .string(requestId)
        self.requestId = requestId
        self.logger = logger
        self.principal = principal
        self.clientAddress = clientAddress
        self.transport = transport
        self.credentials = credentials
        self.response = response
        self.session = session
    }
}

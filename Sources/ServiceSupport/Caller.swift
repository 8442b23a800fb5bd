public import Foundation
public import JSONRPC
public import MentorLinkCore

/// The signed-in user a call runs for, as services see it: an account id and the core's roles.
///
/// The transport knows a caller as a ``JSONRPC/Principal`` (a string id and the ``JSONRPC/RPCRole``s methods are
/// declared for, so the JSON-RPC layer stays free of the domain); this is the one place that turns it into domain
/// terms. A principal whose id is not a UUID is no caller at all (`unauthenticated`).
public struct Caller: Sendable, Hashable {
    /// The account.
    public let id: UUID
    /// The roles it holds.
    public let roles: Set<Role>
    /// The session family its credentials belong to, if any.
    public let sessionId: UUID?

    /// A caller with these facts.
    public init(id: UUID, roles: Set<Role>, sessionId: UUID? = nil) {
        self.id = id
        self.roles = roles
        self.sessionId = sessionId
    }

    /// The caller a principal stands for; `nil` when its id is not a UUID.
    public init?(_ principal: Principal) {
        guard let id = UUID(uuidString: principal.userId) else { return nil }
        self.init(id: id, roles: Set(principal.roles.compactMap(Role.init)), sessionId: principal.sessionId.flatMap(UUID.init(uuidString:)))
    }

    /// The principal the transport knows this caller as.
    public var principal: Principal { Principal(userId: id.uuidString, roles: Set(roles.map(RPCRole.init)), sessionId: sessionId?.uuidString) }

    /// Whether the caller holds `role`.
    public func has(_ role: Role) -> Bool { roles.contains(role) }

    /// Whether the caller is an admin.
    public var isAdmin: Bool { has(.admin) }

    /// Whether the caller is a mentor.
    public var isMentor: Bool { has(.mentor) }
}

extension RPCContext {
    /// The signed-in caller; `unauthenticated` when there is none.
    public func caller() throws(RPCError) -> Caller {
        guard let caller = signedInCaller else { throw RPCError.unauthenticated() }
        return caller
    }

    /// The signed-in caller, or `nil` for an anonymous call.
    public var signedInCaller: Caller? { principal.flatMap(Caller.init) }
}

extension Role {
    /// The core's role a transport role names; `nil` for one the core does not know.
    public init?(_ role: RPCRole) { self.init(rawValue: role.rawValue) }
}

extension RPCRole {
    /// The transport's name for a core role.
    public init(_ role: Role) { self.init(rawValue: role.rawValue) }
}

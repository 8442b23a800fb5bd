import Foundation
import JSONRPC
import MentorLinkCore

/// The signed-in caller of a method.
struct Caller {
    var id: UUID
    var isAdmin: Bool
    var isMentor: Bool

    init(_ context: RPCContext) throws {
        guard let principal = context.principal, let id = UUID(uuidString: principal.userId) else { throw RPCError.unauthenticated() }
        self.id = id
        self.isAdmin = principal.roles.contains(.admin)
        self.isMentor = principal.roles.contains(.mentor)
    }
}


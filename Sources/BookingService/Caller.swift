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

/// An opaque keyset cursor over (an integer key, an id).
struct PageCursor {
    var key: Int64
    var id: UUID

    var token: String { Data("\(key)~\(id.uuidString)".utf8).base64EncodedString() }

    /// Parses a token; a bad one is an invalid `cursor` param.
    init(token: String) throws {
        guard token.count <= 200, let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else {
            throw BookingError.invalid("cursor", "invalid")
        }
        let parts = text.split(separator: "~")
        guard parts.count == 2, let key = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else { throw BookingError.invalid("cursor", "invalid") }
        self.key = key
        self.id = id
    }

    init(key: Int64, id: UUID) {
        self.key = key
        self.id = id
    }
}

/// Audit entries written by the booking services.
func auditEntry(_ context: RPCContext, _ action: String, details: [String: String] = [:]) -> AuditEntry {
    AuditEntry(
        actorId: context.principal.flatMap { UUID(uuidString: $0.userId) }, action: action, target: nil, outcome: "success",
        ip: context.clientAddress, requestId: context.requestId, details: details)
}

import Foundation
public import JSONRPC
public import MentorLinkCore

extension RPCContext {
    /// The audit entry of an action taken in this call: the signed-in caller (if any) as actor, the client's address
    /// and the request id, so every service records the same facts the same way.
    public func auditEntry(_ action: String, target: String? = nil, outcome: String = "success", details: [String: String] = [:]) -> AuditEntry {
        AuditEntry(
            actorId: signedInCaller?.id, action: action, target: target, outcome: outcome, ip: clientAddress, requestId: requestId, details: details)
    }
}

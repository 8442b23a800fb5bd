import Foundation
import JSONRPC
import Logging
import MentorLinkCore
import ServiceSupport
import Testing

/// The one audit-entry builder records the caller, the client's address and the request id.
@Suite struct AuditEntryTests {
    func context(principal: Principal?) -> RPCContext {
        var context = RPCContext(requestId: "req-1", logger: Logger(label: "test"))
        context.principal = principal
        context.clientAddress = "203.0.113.7"
        return context
    }

    @Test func signedInCaller() {
        let user = UUID()
        let entry = context(principal: Principal(userId: user.uuidString, roles: [.mentee])).auditEntry(
            "booking.create", target: "t", details: ["k": "v"])
        #expect(
            entry
                == AuditEntry(
                    actorId: user, action: "booking.create", target: "t", outcome: "success", ip: "203.0.113.7", requestId: "req-1",
                    details: ["k": "v"]))
    }

    @Test func anonymousFailure() {
        let entry = context(principal: nil).auditEntry("login", target: "a@b.c", outcome: "failure")
        #expect(entry == AuditEntry(actorId: nil, action: "login", target: "a@b.c", outcome: "failure", ip: "203.0.113.7", requestId: "req-1"))
    }
}

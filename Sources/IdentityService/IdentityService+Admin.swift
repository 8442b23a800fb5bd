import Foundation
import JSONRPC
import MentorLinkCore
import ServiceSupport

extension IdentityService {
    func setRole(_ params: SetRoleParams, _ context: RPCContext) async throws -> UserResult {
        let actor = try currentUser(context)
        guard params.userId != actor else { throw IdentityError.forbidden("admins cannot change their own role") }
        let entry = context.auditEntry("admin.set_role", target: params.userId.uuidString, details: ["role": params.role.rawValue])
        guard let user = try await store.setRoles(userId: params.userId, roles: [params.role], audit: entry) else { throw IdentityError.notFound }
        // Existing access tokens carry the old role: end the user's sessions so the new role applies at next sign-in.
        let revoked = try await store.revokeSessions(userId: params.userId, except: nil, reason: "role_changed", audit: nil)
        await publishRevocation(revoked)
        return UserResult(user: user)
    }

    func disableUser(_ params: UserIdParams, _ context: RPCContext) async throws -> UserResult {
        let actor = try currentUser(context)
        guard params.userId != actor else { throw IdentityError.forbidden("admins cannot disable themselves") }
        guard
            let revoked = try await store.disable(
                userId: params.userId, audit: context.auditEntry("admin.disable_user", target: params.userId.uuidString)),
            let user = try await store.user(id: params.userId)
        else { throw IdentityError.notFound }
        await publishRevocation(revoked)
        return UserResult(user: user)
    }

    func listUsers(_ params: ListUsersParams, _ context: RPCContext) async throws -> UserPage {
        let limit = min(max(params.limit ?? 50, 1), 200)
        let after = try cursors.cursorParam(params.cursor, scope: "admin.listUsers", timeKeyed: false)?.id
        let users = try await store.listUsers(afterId: after, limit: limit)
        return UserPage(items: users, nextCursor: cursors.nextCursor(users, limit: limit, scope: "admin.listUsers") { PageCursor(key: 0, id: $0.id) })
    }
}

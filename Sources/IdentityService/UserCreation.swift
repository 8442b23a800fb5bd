public import Foundation
import JSONRPC
public import MentorLinkCore

/// Account creation with the password policy and Argon2id: shared by `identity.register` and the admin CLI.
public enum UserCreation {
    /// Creates an account with any role; throws ``IdentityError`` for a weak password or a taken email.
    public static func create(
        store: any IdentityStore, email: String, name: String, password: String, role: Role, actor: UUID? = nil,
        hasher: PasswordHasher = PasswordHasher(cost: IdentityConfiguration.defaultArgon2), policy: PasswordPolicy = PasswordPolicy()
    ) async throws -> User {
        let email = try normalized(email: email)
        try policy.check(password)
        let hash = try await hasher.hash(password)
        do {
            return try await store.createUser(
                email: email, name: name, passwordHash: hash, roles: [role],
                audit: AuditEntry(actorId: actor, action: "user.create", details: ["role": role.rawValue]))
        } catch CoreError.emailTaken { throw IdentityError.emailTaken }
    }

    /// A plausible address, trimmed (the database compares it case-insensitively).
    static func normalized(email: String) throws(RPCError) -> String {
        let trimmed = email.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !trimmed.contains(" ") else {
            throw .invalidParams([FieldProblem(field: "email", problem: "not an email address")])
        }
        return trimmed
    }
}

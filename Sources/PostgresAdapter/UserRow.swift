import Foundation
import MentorLinkCore
import PostgresNIO

/// A `users` row as a ``User`` (the password hash is read only with ``IdentityStore/credentials(email:)``).
enum UserRow: TableRow {
    static let columns = "id, email::text, name, roles, disabled_at IS NOT NULL"

    static func decode(_ row: PostgresRow) throws -> User {
        let r = try row.decode((UUID, String, String, [String], Bool).self)
        return User(id: r.0, email: r.1, name: r.2, roles: r.3.compactMap(Role.init(rawValue:)), disabled: r.4)
    }
}

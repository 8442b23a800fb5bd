import Foundation

/// OWASP ASVS 5.0 password rules: at least 8 characters, up to 1,024 (no truncation; 64+ accepted),
/// no composition rules, and not one of the shipped list of 11,611 common passwords (zxcvbn's list, 8+ characters).
public struct PasswordPolicy: Sendable {
    /// Lower-cased common passwords.
    let common: Set<String>
    /// Minimum length in characters.
    public let minimumLength = 8
    /// Maximum length in characters (a bound on hashing work, far above any real password).
    public let maximumLength = 1024

    /// Loads the shipped list.
    public init() {
        let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt")
        let text = url.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
        common = Set(text.split(separator: "\n").map { $0.lowercased() })
    }

    /// The number of passwords on the list.
    public var listSize: Int { common.count }

    /// Throws ``IdentityError/weakPassword(_:)`` naming the rule that failed.
    public func check(_ password: String) throws(IdentityError) {
        guard password.count >= minimumLength else { throw .weakPassword("at least \(minimumLength) characters") }
        guard password.count <= maximumLength else { throw .weakPassword("at most \(maximumLength) characters") }
        guard !common.contains(password.lowercased()) else { throw .weakPassword("a commonly used password") }
    }
}

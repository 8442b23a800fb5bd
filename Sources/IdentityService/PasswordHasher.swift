import CArgon2
import Foundation
public import NIOPosix

/// Argon2id through Debian's libargon2, run on NIO's blocking thread pool so no event loop or
/// cooperative thread waits for a hash.
public struct PasswordHasher: Sendable {
    let cost: Argon2Cost
    let pool: NIOThreadPool

    /// Creates a hasher.
    public init(cost: Argon2Cost, pool: NIOThreadPool = .singleton) {
        self.cost = cost
        self.pool = pool
    }

    /// The PHC-encoded hash (`$argon2id$v=19$m=…`) of a password, with a fresh 16-byte salt.
    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await pool.runIfActive {
            var salt = [UInt8](repeating: 0, count: 16)
            var generator = SystemRandomNumberGenerator()
            for index in salt.indices { salt[index] = generator.next() }
            let bytes = Array(password.utf8)
            let length = argon2_encodedlen(cost.iterations, cost.memoryKiB, cost.parallelism, UInt32(salt.count), 32, Argon2_id)
            var encoded = [CChar](repeating: 0, count: length)
            let status = argon2id_hash_encoded(
                cost.iterations, cost.memoryKiB, cost.parallelism, bytes, bytes.count, salt, salt.count, 32, &encoded, length)
            guard status == ARGON2_OK.rawValue else {
                throw IdentityError.internalFailure("argon2: \(String(cString: argon2_error_message(status)))")
            }
            return String(cString: encoded)
        }
    }

    /// Whether `password` matches `encoded`; a malformed hash is simply no match.
    public func verify(_ password: String, against encoded: String) async throws -> Bool {
        try await pool.runIfActive {
            let bytes = Array(password.utf8)
            return argon2id_verify(encoded, bytes, bytes.count) == ARGON2_OK.rawValue
        }
    }
}

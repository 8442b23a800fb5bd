import Crypto
public import Foundation

/// Time-limited TURN credentials in coturn's REST-API scheme: username `expiry:userId`, credential
/// base64(HMAC-SHA1(shared secret, username)).
public enum TurnCredentials {
    /// The username and credential for `userId`, valid until `expiry`.
    public static func make(userId: String, expiry: Date, secret: String) -> (username: String, credential: String) {
        let username = "\(Int64(expiry.timeIntervalSince1970)):\(userId)"
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(username.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return (username, Data(mac).base64EncodedString())
    }
}

import Crypto
public import Foundation

/// Time-limited TURN credentials in coturn's REST-API scheme (`use-auth-secret`): username
/// `expiry:roomId:userId` (coturn reads the expiry before the first `:`), credential
/// base64(HMAC-SHA1(shared secret, username)). The username names the room and the participant, so an allocation is
/// attributable in coturn's logs, and it expires when the room closes.
public enum TurnCredentials {
    /// The username and credential for `userId` in `roomId`, valid until `expiry`.
    public static func make(roomId: String, userId: String, expiry: Date, secret: String) -> (username: String, credential: String) {
        let username = "\(Int64(expiry.timeIntervalSince1970.rounded(.down))):\(roomId):\(userId)"
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(username.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return (username, Data(mac).base64EncodedString())
    }

    /// When credentials handed out `now` for a room that closes at `closes` expire: at the close, at most `cap` ahead.
    public static func expiry(closes: Date, now: Date, cap: Duration) -> Date {
        min(closes, now.addingTimeInterval(TimeInterval(cap.components.seconds)))
    }
}

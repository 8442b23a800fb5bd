import Crypto
import Foundation
public import MentorLinkCore

/// Janus's signed tokens (`token_auth_secret`; src/auth.c): `<expiry>,<realm>[,<descriptor>…]:<signature>`, the
/// signature being the standard base64 of HMAC-SHA1 over everything before the `:`, keyed with the secret's bytes.
///
/// The core checks realm `janus` on every request and, when a handle is attached, that a descriptor names the plugin
/// (`janus.plugin.videoroom`); it ignores descriptors it does not look for, so a participant's id rides along and
/// makes each participant's token their own (the VideoRoom allow-list admits tokens one by one). A token is refused
/// once its expiry (seconds since 1970) is past.
public enum JanusToken {
    /// The plugin descriptor of the VideoRoom.
    public static let videoRoom = "janus.plugin.videoroom"

    /// `<expiresAt>,janus,<plugins…>,<descriptors…>:<HMAC>`; each plugin and descriptor must be non-empty and free of
    /// `,` and `:` (``MentorLinkCore/SFUError/invalidIdentifier(_:)`` otherwise).
    public static func sign(expiresAt: Int64, plugins: [String] = [videoRoom], descriptors: [String] = [], secret: String) throws -> String {
        let fields = plugins + descriptors
        if let bad = fields.first(where: { $0.isEmpty || $0.contains(",") || $0.contains(":") }) { throw SFUError.invalidIdentifier(bad) }
        let data = (["\(expiresAt)", "janus"] + fields).joined(separator: ",")
        return "\(data):\(signature(of: data, secret: secret))"
    }

    /// A participant's token: the VideoRoom, and `participant=<id>`.
    public static func participant(_ id: String, expiresAt: Int64, secret: String) throws -> String {
        guard SFUIdentifier.isValid(id) else { throw SFUError.invalidIdentifier(id) }
        return try sign(expiresAt: expiresAt, descriptors: ["participant=\(id)"], secret: secret)
    }

    static func signature(of data: String, secret: String) -> String {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(data.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Data(mac).base64EncodedString()
    }
}

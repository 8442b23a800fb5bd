import Crypto
import Foundation
import MentorLinkCore

/// Links that nginx's `secure_link` module checks (the location in `nginx/media-location.conf.template`):
/// `<urlPrefix>/<token>/<expires>/<key>`, where `token` is the base64url MD5, without padding, of
/// `"<expires>/recordings/<id> <secret>"`.
///
/// The signed part is always the key's first two segments, `recordings/<id>`: a token grants every object of one
/// recording until `expires` (seconds since 1970), so a link to a prefix such as `recordings/<id>/hls/` also serves
/// the playlists and segments below it. Keys outside `recordings/<id>/` have no link.
struct SecureLink: Sendable {
    let urlPrefix: String
    let secret: String

    init(urlPrefix: String, secret: String) {
        self.urlPrefix = urlPrefix.hasSuffix("/") ? String(urlPrefix.dropLast()) : urlPrefix
        self.secret = secret
    }

    /// The link to `key` (an object key, or a prefix ending in `/`) valid until `expires`.
    func url(key: String, expires: Int64) throws -> String {
        let isPrefix = key.hasSuffix("/")
        let path = isPrefix ? String(key.dropLast()) : key
        let segments = path.split(separator: "/")
        guard ObjectKey.isValid(path), segments.first == "recordings", segments.count >= (isPrefix ? 2 : 3) else {
            throw ObjectStoreError.invalidKey(key)
        }
        return "\(urlPrefix)/\(Self.token(signedPart: "recordings/\(segments[1])", expires: expires, secret: secret))/\(expires)/\(key)"
    }

    /// base64url(MD5("<expires>/<signedPart> <secret>")) without `=`, as `secure_link_md5 "$2/$3 <secret>"` computes.
    static func token(signedPart: String, expires: Int64, secret: String) -> String {
        let digest = Insecure.MD5.hash(data: Array("\(expires)/\(signedPart) \(secret)".utf8))
        return Data(digest).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

public import Crypto
public import Foundation

/// Opaque, authenticated page cursors.
///
/// A cursor is `base64url(version ‖ payload ‖ tag)` where `tag` is the first 16 bytes of HMAC-SHA256 over the
/// list's scope (`booking.list`, `reviews.list` …), the version and the payload. A client can hold one and hand it
/// back, but cannot make or alter one: anything that does not verify is an invalid `cursor` param before any of it
/// is read. Readers of a payload still range-check what they decode (defence in depth).
///
/// All workers must share the key (it comes from the deployment's secrets), or a page fetched from one worker would
/// not continue on another. Rotating the key ends the cursors in flight: clients start again from the first page.
public struct CursorCodec: Sendable {
    static let version: UInt8 = 1
    static let tagBytes = 16
    /// The longest token accepted (the payloads in use are well under 64 bytes).
    public static let maxTokenLength = 256

    private let key: SymmetricKey

    /// A codec with `key`.
    public init(key: SymmetricKey) { self.key = key }

    /// A codec whose key is derived (HKDF-SHA256) from a deployment secret, so no separate secret is needed.
    public init(derivingFrom secret: [UInt8]) {
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), info: Data("mentorlink page cursor v1".utf8), outputByteCount: 32)
    }

    /// A codec with a random key: for one process (tests, a single worker).
    public static func random() -> CursorCodec { CursorCodec(key: SymmetricKey(size: .bits256)) }

    /// Seals `payload` for the list `scope`.
    public func seal(_ payload: CursorPayload, scope: String) -> String {
        var bytes = [Self.version] + payload.bytes
        bytes += tag(scope: scope, bytes)
        return Self.base64URL(bytes)
    }

    /// The payload of a token made by ``seal(_:scope:)`` for the same scope, or `nil` for anything else.
    public func open(_ token: String, scope: String) -> CursorPayload? {
        guard token.utf8.count <= Self.maxTokenLength, let bytes = Self.bytes(base64URL: token), bytes.count >= 1 + Self.tagBytes,
            bytes[0] == Self.version
        else { return nil }
        let body = Array(bytes.dropLast(Self.tagBytes))
        let expected = tag(scope: scope, body)
        // Constant time: HMAC's own comparison over the truncated tag.
        guard Self.constantTimeEqual(expected, Array(bytes.suffix(Self.tagBytes))) else { return nil }
        return CursorPayload(bytes: Array(body.dropFirst()))
    }

    private func tag(scope: String, _ body: [UInt8]) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: Array(scope.utf8) + [0])
        hmac.update(data: body)
        return Array(Array(hmac.finalize()).prefix(Self.tagBytes))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
            of: "=", with: "")
    }

    static func bytes(base64URL text: String) -> [UInt8]? {
        guard text.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
    }
}

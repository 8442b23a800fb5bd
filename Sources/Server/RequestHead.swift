import Foundation
public import HTTPTypes
public import JSONRPC

/// What a worker reads from a request's head itself (the HTTP parsing is SwiftNIO's): the caller's credentials, the
/// media type, the address nginx vouches for. Shared by `POST /rpc` and the WebSocket handshake, and fuzzed
/// (`FuzzHTTPHead`).
public enum RequestHead {
    /// The client address nginx sets (trusted only because nginx overwrites it).
    public static let realIP = HTTPField.Name("X-Real-IP")!

    /// Bearer token, cookies and origin of a request.
    public static func credentials(_ headers: HTTPFields) -> RequestCredentials {
        var bearer: String?
        // Authorization is a singleton field (RFC 9110 11.6.2): with two of them, joined they would make one garbage
        // token, and picking either would be a guess, so neither counts.
        let authorizations = headers[values: .authorization]
        if authorizations.count == 1, let authorization = authorizations.first, authorization.lowercased().hasPrefix("bearer ") {
            bearer = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        let cookieHeader = headers[values: .cookie].joined(separator: "; ")
        return RequestCredentials(
            bearer: bearer, cookies: RequestCredentials.parseCookies(cookieHeader.isEmpty ? nil : cookieHeader), origin: headers[.origin])
    }

    /// Whether the media type is `application/json` (any case, parameters such as `charset` allowed).
    /// Byte-level on purpose: Foundation's trimming and lower-casing cost 6% of a worker's CPU under load.
    public static func isJSON(_ contentType: String?) -> Bool {
        guard var contentType else { return false }
        return contentType.withUTF8 { bytes in
            var start = 0
            while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
            let expected = "application/json".utf8
            guard bytes.count - start >= expected.count else { return false }
            for (offset, byte) in expected.enumerated() where bytes[start + offset] | 0x20 != byte | 0x20 { return false }
            var rest = start + expected.count
            while rest < bytes.count, bytes[rest] == UInt8(ascii: " ") { rest += 1 }
            return rest == bytes.count || bytes[rest] == UInt8(ascii: ";")
        }
    }
}

import Crypto

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`), the subset S3 needs: `Authorization` headers and presigned URLs.
///
/// Pure: the caller passes the time (seconds since 1970). Paths and query parameters are given unencoded; send them
/// encoded with ``uriEncode(_:encodeSlash:)`` (paths, with `/` kept) and ``canonicalQuery(_:)``, which are what the
/// signature covers. S3 paths are encoded once (other services' double encoding of paths is not done).
public struct SigV4Signer: Sendable {
    /// The payload hash of a request whose body is not signed.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// SHA-256 of no bytes, the payload hash of a request without a body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public let accessKey: String
    public let secretKey: String
    public let region: String
    public let service: String

    /// A signer for one key pair, region and service (`s3` by default).
    public init(accessKey: String, secretKey: String, region: String, service: String = "s3") {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.region = region
        self.service = service
    }

    /// `headers` (which must include `Host`) plus `x-amz-date`, `x-amz-content-sha256` (when `sendContentHash`; S3
    /// requires it) and `Authorization`, every header given being signed.
    public func sign(
        method: String, path: String, query: [(String, String)] = [], headers: [(String, String)], payloadHash: String,
        sendContentHash: Bool = true, at time: Int64
    ) -> [(String, String)] {
        let timestamp = Self.timestamp(time)
        var headers = headers + [("x-amz-date", timestamp)]
        if sendContentHash { headers.append(("x-amz-content-sha256", payloadHash)) }
        let request = canonicalRequest(method: method, path: path, query: query, headers: headers, payloadHash: payloadHash)
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope(timestamp)), SignedHeaders=\(request.signedHeaders), "
            + "Signature=\(signature(request.text, timestamp: timestamp))"
        return headers + [("Authorization", authorization)]
    }

    /// A URL that performs `method` on `path` at `endpoint` (`scheme://host[:port]`, as clients will send `Host`)
    /// for `expiresIn` seconds from `time` without other credentials: the `X-Amz-*` query parameters, `host` the only
    /// signed header, the payload unsigned.
    public func presignedURL(
        method: String, endpoint: String, path: String, query: [(String, String)] = [], expiresIn: Int, at time: Int64
    ) -> String {
        let timestamp = Self.timestamp(time)
        let query =
            query + [
                ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Credential", "\(accessKey)/\(scope(timestamp))"),
                ("X-Amz-Date", timestamp), ("X-Amz-Expires", "\(expiresIn)"), ("X-Amz-SignedHeaders", "host"),
            ]
        let request = canonicalRequest(
            method: method, path: path, query: query, headers: [("host", Self.authority(of: endpoint))], payloadHash: Self.unsignedPayload)
        return "\(endpoint)\(Self.uriEncode(path, encodeSlash: false))?\(Self.canonicalQuery(query))"
            + "&X-Amz-Signature=\(signature(request.text, timestamp: timestamp))"
    }

    /// The canonical request (method, URI, query, headers, signed header names, payload hash on their own lines)
    /// and its signed header names.
    public func canonicalRequest(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], payloadHash: String
    ) -> (text: String, signedHeaders: String) {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            values[name.lowercased(), default: []].append(value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
        }
        let names = values.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let text = [
            method, Self.uriEncode(path, encodeSlash: false), Self.canonicalQuery(query), canonicalHeaders, signedHeaders, payloadHash,
        ].joined(separator: "\n")
        return (text, signedHeaders)
    }

    /// The hex HMAC-SHA256 of the string to sign under the key derived for the request's day, region and service.
    func signature(_ canonicalRequest: String, timestamp: String) -> String {
        let stringToSign = ["AWS4-HMAC-SHA256", timestamp, scope(timestamp), Self.sha256Hex(Array(canonicalRequest.utf8))]
            .joined(separator: "\n")
        var key = SymmetricKey(data: Array("AWS4\(secretKey)".utf8))
        for part in [String(timestamp.prefix(8)), region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    /// `<yyyymmdd>/<region>/<service>/aws4_request`.
    func scope(_ timestamp: String) -> String { "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request" }

    /// AWS's URI encoding: every byte but `A-Z a-z 0-9 - _ . ~` as `%XX` (upper-case hex); `/` kept unless
    /// `encodeSlash`.
    public static func uriEncode(_ text: String, encodeSlash: Bool) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where !encodeSlash:
                encoded.append("/")
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }

    /// `name=value` pairs, both URI-encoded, sorted by name then value, joined with `&` (a parameter without a value
    /// is `name=`).
    public static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (uriEncode($0.0, encodeSlash: true), uriEncode($0.1, encodeSlash: true)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// The ISO 8601 basic UTC time SigV4 uses (`20130524T000000Z`) for `seconds` since 1970.
    public static func timestamp(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        // Days to a civil date (Howard Hinnant's algorithm).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let date = String(year).leftPadded(to: 4) + String(month).leftPadded(to: 2) + String(day).leftPadded(to: 2)
        return date + "T" + [time / 3600, time / 60 % 60, time % 60].map { String($0).leftPadded(to: 2) }.joined() + "Z"
    }

    /// Lower-case hex of SHA-256 over `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// `host[:port]` of `scheme://host[:port][/…]`.
    static func authority(of endpoint: String) -> String {
        let rest = endpoint.firstRange(of: "://").map { endpoint[$0.upperBound...] } ?? endpoint[...]
        return String(rest.prefix { $0 != "/" })
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

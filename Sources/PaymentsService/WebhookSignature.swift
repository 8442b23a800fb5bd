import Crypto
public import Foundation

/// Webhook signatures: Stripe's `Stripe-Signature` (`t=…,v1=…`, HMAC-SHA256 over `timestamp.body`, several `v1` and
/// several endpoint secrets during rotation, a tolerance on the timestamp) and the UPI gateway's (Razorpay's format:
/// hex HMAC-SHA256 of the raw body in `X-Razorpay-Signature`). Comparisons are constant-time.
public enum WebhookSignature {
    /// Why a signature was refused.
    public enum Failure: Error, Equatable, Sendable { case missing, malformed, stale, mismatch }

    /// Checks a `Stripe-Signature` header against the raw body.
    public static func verifyStripe(header: String?, body: [UInt8], secrets: [String], now: Date, tolerance: TimeInterval = 300) throws(Failure) {
        guard let header, !header.isEmpty else { throw .missing }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1", let bytes = hexBytes(pair[1]) { signatures.append(bytes) }
        }
        guard let timestamp, !signatures.isEmpty else { throw .malformed }
        guard abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= tolerance else { throw .stale }
        let payload = Array("\(timestamp).".utf8) + body
        for secret in secrets where !secret.isEmpty {
            let key = SymmetricKey(data: Array(secret.utf8))
            for signature in signatures where HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: payload, using: key) { return }
        }
        throw .mismatch
    }

    /// Checks an `X-Razorpay-Signature` header against the raw body.
    public static func verifyRazorpay(header: String?, body: [UInt8], secrets: [String]) throws(Failure) {
        guard let header, !header.isEmpty else { throw .missing }
        guard let signature = hexBytes(header.trimmingCharacters(in: .whitespaces)) else { throw .malformed }
        for secret in secrets where !secret.isEmpty {
            if HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: body, using: SymmetricKey(data: Array(secret.utf8))) { return }
        }
        throw .mismatch
    }

    /// A `Stripe-Signature` header for a body (the dev provider server and tests sign with it).
    public static func stripeHeader(body: [UInt8], secret: String, timestamp: Int64) -> String {
        "t=\(timestamp),v1=\(hex(body: Array("\(timestamp).".utf8) + body, secret: secret))"
    }

    /// The hex HMAC-SHA256 of a body.
    public static func hex(body: [UInt8], secret: String) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        guard text.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

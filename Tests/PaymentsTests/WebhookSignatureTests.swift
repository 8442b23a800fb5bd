import Foundation
import PaymentsService
import Testing

/// Stripe's and the UPI gateway's webhook signatures: valid, tampered body, wrong secret, stale timestamp,
/// rotated secrets, malformed headers.
@Suite struct WebhookSignatureTests {
    let body = Array(#"{"id":"evt_1","type":"payment_intent.succeeded"}"#.utf8)
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    var timestamp: Int64 { Int64(now.timeIntervalSince1970) }

    func stripe(_ header: String?, body: [UInt8]? = nil, secrets: [String] = ["whsec_current"], at: Date? = nil) -> WebhookSignature.Failure? {
        do throws(WebhookSignature.Failure) {
            try WebhookSignature.verifyStripe(header: header, body: body ?? self.body, secrets: secrets, now: at ?? now)
            return nil
        } catch { return error }
    }

    @Test func stripeValidTamperedWrongSecretStale() {
        let header = WebhookSignature.stripeHeader(body: body, secret: "whsec_current", timestamp: timestamp)
        #expect(stripe(header) == nil)
        #expect(stripe(header, body: body + Array(" ".utf8)) == .mismatch)
        #expect(stripe(header, secrets: ["whsec_other"]) == .mismatch)
        #expect(stripe(header, at: now.addingTimeInterval(301)) == .stale)
        #expect(stripe(header, at: now.addingTimeInterval(-301)) == .stale)
        #expect(stripe(header, at: now.addingTimeInterval(299)) == nil)
        #expect(stripe(nil) == .missing)
        #expect(stripe("t=abc,v1=zz") == .malformed)
        #expect(stripe("v1=" + String(repeating: "0", count: 64)) == .malformed)
        // A signature over another timestamp does not verify.
        let moved = header.replacingOccurrences(of: "t=\(timestamp)", with: "t=\(timestamp + 1)")
        #expect(stripe(moved) == .mismatch)
    }

    @Test func stripeDuringSecretRotation() {
        // Stripe signs with both secrets while one is rolled; either may be the one configured, or both.
        let old = WebhookSignature.stripeHeader(body: body, secret: "whsec_old", timestamp: timestamp)
        let new = WebhookSignature.stripeHeader(body: body, secret: "whsec_new", timestamp: timestamp)
        let both = old + ",v1=" + new.split(separator: "=").last!
        #expect(stripe(both, secrets: ["whsec_new"]) == nil)
        #expect(stripe(both, secrets: ["whsec_old"]) == nil)
        #expect(stripe(old, secrets: ["whsec_new", "whsec_old"]) == nil)
        #expect(stripe(old, secrets: ["whsec_new"]) == .mismatch)
    }

    @Test func razorpayValidTamperedWrongSecret() {
        func check(_ header: String?, body: [UInt8]? = nil, secrets: [String] = ["upi_secret"]) -> WebhookSignature.Failure? {
            do throws(WebhookSignature.Failure) {
                try WebhookSignature.verifyRazorpay(header: header, body: body ?? self.body, secrets: secrets)
                return nil
            } catch { return error }
        }
        let signature = WebhookSignature.hex(body: body, secret: "upi_secret")
        #expect(check(signature) == nil)
        #expect(check(signature.uppercased()) == nil)
        #expect(check(signature, body: Array(#"{"id":"evt_2"}"#.utf8)) == .mismatch)
        #expect(check(signature, secrets: ["other"]) == .mismatch)
        #expect(check(signature, secrets: ["other", "upi_secret"]) == nil)
        #expect(check(nil) == .missing)
        #expect(check("nothex") == .malformed)
    }
}

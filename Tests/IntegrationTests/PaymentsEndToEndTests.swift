import Foundation
import JSONRPC
import MentorLinkClient
import MentorLinkTesting
import PostgresNIO
import Testing

/// Top-ups, refunds and payouts through nginx and the workers `scripts/test` started, with the real provider clients
/// talking to `mentorlink dev-payments`, whose signed webhooks come back through nginx.
@Suite(.timeLimit(.minutes(2))) struct PaymentsEndToEndTests {
    static func devPaymentsPort() throws -> UInt16 {
        let text = try String(contentsOfFile: "\(try TestEnvironment.runDirectory())/dev-payments.port", encoding: .utf8)
        return try #require(UInt16(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Calls a method through nginx; returns the result object or the error's reason.
    static func call(_ token: String, _ method: String, _ params: String) throws -> (result: [String: Any]?, reason: String?) {
        let connection = try HTTPConnection(.tcp(host: "127.0.0.1", port: try TestEnvironment.httpPort()))
        let response = try StackUsers.call(connection, token: token, method, params)
        let error = response["error"] as? [String: Any]
        return (response["result"] as? [String: Any], (error?["data"] as? [String: Any])?["reason"] as? String ?? error.map { "\($0)" })
    }

    /// Completes a payment at the dev provider, which sends the signed webhook to nginx; returns the webhook's status.
    static func pay(_ paymentId: String) throws -> String {
        let connection = try HTTPConnection(.tcp(host: "127.0.0.1", port: try devPaymentsPort()))
        return try connection.request("POST", "/dev/complete/\(paymentId)").text
    }

    static func available(_ token: String) throws -> Int? { (try call(token, "wallet.get", "{}").result?["available"] as? NSNumber)?.intValue }

    @Test func topUpRefundAndPayout() async throws {
        try await StackUsers.with { users in
            let mentee = try await users.make(.mentee)
            let admin = try await users.make(.admin)
            // Payment-class calls are rate limited per caller (burst 5): a second admin approves payouts.
            let payoutAdmin = try await users.make(.admin)
            let mentor = try await users.make(.mentor)
            // Mentor earnings to pay out, posted straight into the ledger (as a released escrow would).
            try await users.client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await connection.query(
                    """
                    SELECT ledger_post('test_earnings', \(UUID().uuidString), ARRAY[\(mentor.id.uuidString), '']::text[],
                        ARRAY['earnings', 'revenue']::text[], ARRAY[50, -50]::int8[], NULL)
                    """, logger: TestEnvironment.logger)
            }
            try await TestEnvironment.offThePool {
                let key = "e2e-\(UUID().uuidString)"
                let first = try Self.call(mentee.token, "payments.createTopUp", #"{"credits":15,"provider":"stripe","idempotencyKey":"\#(key)"}"#)
                let payment = try #require(first.result, "\(String(describing: first.reason))")
                let paymentId = try #require(payment["paymentId"] as? String)
                #expect((payment["providerRef"] as? String)?.hasPrefix("pi_") == true && (payment["clientSecret"] as? String) != nil)
                #expect(payment["amount"] as? Int == 1500 && payment["currency"] as? String == "usd" && payment["status"] as? String == "created")
                // The same key: the same payment, nothing new at the provider.
                let again = try Self.call(mentee.token, "payments.createTopUp", #"{"credits":15,"provider":"stripe","idempotencyKey":"\#(key)"}"#)
                #expect(
                    again.result?["paymentId"] as? String == paymentId && again.result?["providerRef"] as? String == payment["providerRef"] as? String
                )
                #expect(try Self.available(mentee.token) == 0)
                #expect(try Self.pay(paymentId).contains("200"))
                #expect(try Self.available(mentee.token) == 15)
                #expect(try Self.pay(paymentId).contains("200"))  // a second webhook for the same payment grants nothing
                #expect(try Self.available(mentee.token) == 15)

                let upi = try Self.call(mentee.token, "payments.createTopUp", #"{"credits":2,"provider":"upi","idempotencyKey":"upi-\#(key)"}"#)
                let upiPayment = try #require(upi.result, "\(String(describing: upi.reason))")
                #expect((upiPayment["upiLink"] as? String)?.hasPrefix("upi://pay?pa=") == true)
                #expect(upiPayment["amount"] as? Int == 18000 && upiPayment["currency"] as? String == "inr")
                #expect(try Self.pay(upiPayment["paymentId"] as! String).contains("200"))
                #expect(try Self.available(mentee.token) == 17)

                // Refunds: only admins; never more than is unspent.
                #expect(try Self.call(mentee.token, "payments.refund", #"{"paymentId":"\#(paymentId)"}"#).reason == "forbidden")
                let refundedUPI = try Self.call(admin.token, "payments.refund", #"{"paymentId":"\#(upiPayment["paymentId"] as! String)"}"#)
                #expect(refundedUPI.result?["status"] as? String == "refunded", "\(String(describing: refundedUPI.reason))")
                #expect(try Self.available(mentee.token) == 15)
                let spent = try Self.call(admin.token, "admin.adjustCredits", #"{"userId":"\#(mentee.id)","credits":-10,"reason":"spent elsewhere"}"#)
                #expect(spent.result != nil)
                #expect(
                    try Self.call(admin.token, "payments.refund", #"{"paymentId":"\#(paymentId)","credits":15}"#).reason == "insufficient_credits")
                #expect(try Self.available(mentee.token) == 5)
                let partial = try Self.call(admin.token, "payments.refund", #"{"paymentId":"\#(paymentId)","credits":5}"#)
                #expect(partial.result?["status"] as? String == "partially_refunded")
                #expect(try Self.available(mentee.token) == 0)

                // Payouts: the mentor asks, an admin approves (a Stripe transfer).
                #expect(try Self.call(mentor.token, "payouts.request", #"{"credits":80}"#).reason == "insufficient_credits")
                let requested = try Self.call(mentor.token, "payouts.request", #"{"credits":20}"#)
                let payoutId = try #require(requested.result?["payoutId"] as? String)
                let approved = try Self.call(payoutAdmin.token, "payouts.approve", #"{"payoutId":"\#(payoutId)"}"#)
                #expect(approved.result?["status"] as? String == "paid" && (approved.result?["transferRef"] as? String)?.hasPrefix("tr_") == true)
                #expect(try Self.call(payoutAdmin.token, "payouts.approve", #"{"payoutId":"\#(payoutId)"}"#).reason == "invalid_state")
                #expect((try Self.call(mentor.token, "wallet.get", "{}").result?["earnings"] as? NSNumber)?.intValue == 30)
                let report = try Self.call(admin.token, "payments.reconcile", "{}")
                #expect(report.result?["ok"] as? Bool == true, "\(String(describing: report.result))")
            }
        }
    }
}

import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import PostgresAdapter
import PostgresNIO
import Testing

/// Random top-ups (through signed webhooks), adjustments, paid bookings, cancellations by either side, completions,
/// refunds and payouts: afterwards (and along the way) every transaction balances, every cached balance equals its
/// entries, every paid payment was granted once, no user account is negative, and all balances sum to zero.
@Suite(.timeLimit(.minutes(5))) struct LedgerPropertyTests {
    @Test func randomMoneyMovementsKeepTheLedgerSound() async throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["MENTORLINK_PROPERTY_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)
        var random = SeededGenerator(seed: seed)
        try await BookingHarness.with { harness in
            var configuration = PaymentsConfiguration()
            configuration.stripeWebhookSecrets = ["whsec_property"]
            let processor = WebhookProcessor(store: harness.payments, configuration: configuration, logger: TestEnvironment.logger)
            let mentors = [
                try await harness.mentor(name: "Paid", minutes: [60], price: 7), try await harness.mentor(name: "Free", minutes: [60], price: 0),
            ]
            var mentees: [BookingHarness.User] = []
            for _ in 0..<4 { mentees.append(try await harness.user(.mentee)) }
            var bookings: [(id: String, mentee: BookingHarness.User, mentor: BookingHarness.User)] = []
            var payments: [Payment] = []
            var counts: [String: Int] = [:]
            func check(_ step: Int) async throws {
                let report = try await harness.payments.reconcile()
                #expect(report.ok, "seed \(seed), step \(step): \(report)")
                #expect(try await harness.count("SELECT coalesce(sum(balance), 0)::int FROM ledger_accounts") == 0, "seed \(seed), step \(step)")
            }
            for step in 0..<400 {
                let mentee = mentees.randomElement(using: &random)!
                var outcome = "ok"
                switch Int.random(in: 0..<100, using: &random) {
                case 0..<15:
                    let credits = Int.random(in: 1...40, using: &random)
                    let price = configuration.price(credits, provider: .stripe)
                    let (created, _) = try await harness.payments.createPayment(
                        NewPayment(
                            userId: mentee.id, provider: .stripe, credits: credits, amount: price.amount, currency: "usd",
                            idempotencyKey: "p-\(step)", audit: AuditEntry(actorId: mentee.id, action: "payment.create")))
                    let paid = try await harness.payments.attachProvider(
                        paymentId: created.paymentId, providerRef: "pi_\(step)", clientSecret: nil, upiLink: nil)
                    let body = Array(
                        #"{"id":"evt_\#(step)","type":"payment_intent.succeeded","data":{"object":{"id":"pi_\#(step)","amount":\#(price.amount),"currency":"usd"}}}"#
                            .utf8)
                    let header = WebhookSignature.stripeHeader(body: body, secret: "whsec_property", timestamp: Int64(Date().timeIntervalSince1970))
                    let reply = await processor.stripe(headers: ["stripe-signature": header], body: body)
                    outcome = reply.status == 200 ? "topup" : "topup \(reply.status)"
                    payments.append(paid)
                case 15..<22:
                    let credits = Int.random(in: -20...20, using: &random)
                    if credits == 0 { continue }
                    do {
                        _ = try await harness.payments.adjust(
                            userId: mentee.id, credits: credits, reason: "property", audit: AuditEntry(actorId: nil, action: "test"))
                    } catch CoreError.insufficientCredits { outcome = "insufficient_credits" }
                case 22..<55:
                    let mentor = mentors.randomElement(using: &random)!
                    let start = harness.clock.now.adding(minutes: 60 * Int.random(in: 4...(24 * 5), using: &random))
                    let aligned = Instant(Date(timeIntervalSince1970: TimeInterval(start.epochSeconds / 3600 * 3600)))
                    let result = try await harness.call(
                        "booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(aligned)","minutes":60}"#, as: mentee)
                    if let id = result.object("booking")?["id"] as? String { bookings.append((id, mentee, mentor)) }
                    outcome = result.reason ?? "booked"
                case 55..<70 where !bookings.isEmpty:
                    let booking = bookings.randomElement(using: &random)!
                    let actor = Bool.random(using: &random) ? booking.mentee : booking.mentor
                    outcome = try await harness.call("booking.cancel", #"{"bookingId":"\#(booking.id)"}"#, as: actor).reason ?? "cancelled"
                case 70..<80:
                    harness.clock.advance(minutes: Int.random(in: 30...600, using: &random))
                    let released = try await harness.bookings.releaseDueEscrows(now: harness.clock.now, grace: .seconds(3600), limit: 1000)
                    outcome = "released \(released > 0)"
                case 80..<90 where !payments.isEmpty:
                    let payment = payments.randomElement(using: &random)!
                    do {
                        let (_, refund) = try await harness.payments.reserveRefund(
                            paymentId: payment.paymentId, credits: Int.random(in: 1...payment.credits, using: &random),
                            audit: AuditEntry(actorId: nil, action: "test.refund"))
                        // The provider's answer: refunded, refused (credits back), or none yet (stays pending).
                        switch Int.random(in: 0..<3, using: &random) {
                        case 0:
                            _ = try await harness.payments.settleRefund(
                                refundId: refund.refundId, succeeded: true, providerRef: "re_\(step)",
                                audit: AuditEntry(actorId: nil, action: "test.refund_ok"))
                        case 1:
                            _ = try await harness.payments.settleRefund(
                                refundId: refund.refundId, succeeded: false, providerRef: nil,
                                audit: AuditEntry(actorId: nil, action: "test.refund_failed"))
                        default: break
                        }
                        outcome = "refunded"
                    } catch let error as CoreError { outcome = "\(error)".components(separatedBy: ":")[0] }
                default:
                    let mentor = mentors[0]
                    do {
                        let payout = try await harness.payments.requestPayout(
                            mentorId: mentor.id, credits: Int.random(in: 1...15, using: &random),
                            audit: AuditEntry(actorId: mentor.id, action: "test.payout"))
                        _ = try await harness.payments.finishPayout(
                            id: payout.payoutId, transferRef: Bool.random(using: &random) ? "tr_\(step)" : nil, by: mentor.id,
                            audit: AuditEntry(actorId: nil, action: "test.payout_finish"))
                        outcome = "payout"
                    } catch CoreError.insufficientCredits { outcome = "payout insufficient" }
                }
                counts[outcome, default: 0] += 1
                if step % 50 == 49 { try await check(step) }
            }
            try await check(400)
            #expect(counts["booked", default: 0] > 10 && counts["topup", default: 0] > 10, "seed \(seed): \(counts)")
            print("ledger property test: seed \(seed), outcomes \(counts.sorted { $0.key < $1.key })")
        }
    }
}

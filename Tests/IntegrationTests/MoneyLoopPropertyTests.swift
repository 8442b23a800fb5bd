import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import PostgresAdapter
import PostgresNIO
import Testing

/// Random rounds of top-ups (Stripe in cents, UPI in paise), paid bookings of cheap and dear sessions, releases and
/// payouts of every mentor's earnings: the money paid out never exceeds the money that came in, rupees valued at the
/// configured conservative rate (₹ per $ at or above the market's).
@Suite(.timeLimit(.minutes(5))) struct MoneyLoopPropertyTests {
    @Test func noSequenceOfTopUpBookReleasePayoutReturnsMoreThanWentIn() async throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["MENTORLINK_PROPERTY_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)
        var random = SeededGenerator(seed: seed)
        do { try await loop(&random, seed: seed) } catch { Issue.record("seed \(seed): \(String(reflecting: error))") }
    }

    func loop(_ random: inout SeededGenerator, seed: UInt64) async throws {
        try await PaymentsHarness.with { harness in
            let configuration = harness.configuration
            let admin = try await harness.base.user(.admin)
            var mentors: [BookingHarness.User] = []
            for price in [1, 3, 5, 9, 10, 11, 15, 40] {
                mentors.append(try await harness.base.mentor(name: "Mentor \(price)", minutes: [60], price: price))
            }
            let prices = [1, 3, 5, 9, 10, 11, 15, 40]
            var usdCentsIn: Int64 = 0
            var inrPaiseIn: Int64 = 0
            for round in 0..<3 {
                for cycle in 0..<12 {
                    let index = Int.random(in: 0..<mentors.count, using: &random)
                    let mentee = try await harness.base.user(.mentee)
                    let provider: PaymentProviderName = Bool.random(using: &random) ? .stripe : .upi
                    let price = configuration.price(prices[index], provider: provider)
                    let (created, _) = try await harness.base.payments.createPayment(
                        NewPayment(
                            userId: mentee.id, provider: provider, credits: prices[index], amount: price.amount, currency: price.currency,
                            idempotencyKey: "loop-\(round)-\(cycle)", audit: AuditEntry(actorId: mentee.id, action: "payment.create")))
                    let reference = "ref_\(round)_\(cycle)_\(UUID().uuidString.prefix(6))"
                    _ = try await harness.base.payments.attachProvider(
                        paymentId: created.paymentId, providerRef: reference, clientSecret: nil, upiLink: nil)
                    let outcome = try await harness.base.payments.process(
                        ProviderEvent(
                            provider: provider, eventId: "evt_\(reference)", type: "paid", succeeded: true, providerRef: reference, chargeRef: nil,
                            amount: price.amount, currency: price.currency), requestId: nil)
                    guard case .granted = outcome else {
                        Issue.record("not granted: \(outcome)")
                        continue
                    }
                    if provider == .stripe { usdCentsIn += price.amount } else { inrPaiseIn += price.amount }
                    // A free hour of the mentor's 09:00–17:00 in the next days, so the credits are spent.
                    let today = harness.base.clock.now.epochSeconds / 86400 * 86400
                    for _ in 0..<8 {
                        let hour = Int64(Int.random(in: 1...4, using: &random) * 24 + Int.random(in: 9...16, using: &random))
                        let start = Instant(Date(timeIntervalSince1970: TimeInterval(today + hour * 3600)))
                        let booked = try await harness.base.call(
                            "booking.create", #"{"mentorId":"\#(mentors[index].id)","start":"\#(start)","minutes":60}"#, as: mentee)
                        if booked.result != nil { break }
                    }
                }
                harness.base.clock.advance(minutes: 6 * 24 * 60)
                _ = try await harness.base.bookings.releaseDueEscrows(now: harness.base.clock.now, grace: .seconds(3600), limit: 1000)
                for mentor in mentors {
                    let earnings = try await harness.base.wallet(mentor).earnings
                    guard earnings > 0 else { continue }
                    let payout = try await harness.call("payouts.request", #"{"credits":\#(earnings)}"#, as: mentor)
                    let payoutId = try #require(payout.result?["payoutId"] as? String, "\(String(describing: payout.error))")
                    let approved = try await harness.call("payouts.approve", #"{"payoutId":"\#(payoutId)"}"#, as: admin)
                    #expect(approved.result?["status"] as? String == "paid", "\(String(describing: approved.error))")
                }
                // Money out (cents) against money in, rupees at the configured rate: out × rate ≤ usd × rate + inr.
                let out = harness.provider.paidOut
                let rate = configuration.inrPerUSD
                #expect(
                    out * rate <= usdCentsIn * rate + inrPaiseIn,
                    "seed \(seed), round \(round): paid out \(out)¢, in \(usdCentsIn)¢ + \(inrPaiseIn) paise")
            }
            #expect(harness.provider.paidOut > 0, "seed \(seed): nothing was paid out")
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    @Test func thePlatformFeeIsRoundedUp() {
        #expect(PlatformFee.credits(of: 1, percent: 10) == 1)
        #expect(PlatformFee.credits(of: 9, percent: 10) == 1)
        #expect(PlatformFee.credits(of: 10, percent: 10) == 1)
        #expect(PlatformFee.credits(of: 11, percent: 10) == 2)
        #expect(PlatformFee.credits(of: 0, percent: 10) == 0)
        #expect(PlatformFee.credits(of: 7, percent: 0) == 0)
        #expect(PlatformFee.credits(of: 7, percent: 100) == 7)
        #expect(PlatformFee.credits(of: Int.max, percent: 100) == Int.max)
    }
}

import Foundation
import MentorLinkCore
import Testing

/// The refund, payout and provider-claim rules the payments store applies under its locks. Pure, no store.
@Suite struct PaymentRulesTests {
    static func payment(status: String = "succeeded", credits: Int = 10, amount: Int64 = 1000, refunded: Int = 0) -> Payment {
        Payment(
            paymentId: UUID(), userId: UUID(), provider: .stripe, credits: credits, amount: amount, currency: "usd", status: status, providerRef: nil,
            providerChargeRef: nil, clientSecret: nil, upiLink: nil, refundedCredits: refunded, createdAt: .now)
    }

    @Test func aRefundTakesItsShareOfWhatIsLeft() throws {
        #expect(try RefundRules.amount(refunding: 3, of: Self.payment()) == 300)
        #expect(throws: CoreError.invalidState("the payment is disputed")) {
            try RefundRules.amount(refunding: 1, of: Self.payment(status: "disputed"))
        }
        #expect(throws: CoreError.invalidState("at most 4 credits of this payment can be refunded")) {
            try RefundRules.amount(refunding: 5, of: Self.payment(status: "partially_refunded", refunded: 6))
        }
        #expect(throws: CoreError.invalidState("at most 10 credits of this payment can be refunded")) {
            try RefundRules.amount(refunding: 0, of: Self.payment())
        }
    }

    @Test func settlingFollowsTheProvidersWord() {
        #expect(RefundRules.transition(from: "pending", succeeded: true) == .settles)
        #expect(RefundRules.transition(from: "pending", succeeded: false) == .settles)
        #expect(RefundRules.transition(from: "succeeded", succeeded: false) == .settles)
        #expect(RefundRules.transition(from: "succeeded", succeeded: true) == .alreadySettled)
        #expect(RefundRules.transition(from: "failed", succeeded: false) == .alreadySettled)
        #expect(RefundRules.transition(from: "failed", succeeded: true) == .final)
        #expect(RefundRules.paymentStatus(refunded: 0, of: 10) == "succeeded")
        #expect(RefundRules.paymentStatus(refunded: 4, of: 10) == "partially_refunded")
        #expect(RefundRules.paymentStatus(refunded: 10, of: 10) == "refunded")
        #expect(RefundRules.credits(for: 101, of: Self.payment()) == 2)
    }

    @Test func payoutsNeedNoDebtAndTheRightState() throws {
        try PayoutRules.checkRequest(debt: 0)
        #expect(throws: CoreError.inDebt(5)) { try PayoutRules.checkRequest(debt: -5) }
        let payout = Payout(payoutId: UUID(), mentorId: UUID(), credits: 1, status: "processing", transferRef: nil, createdAt: .now)
        #expect(throws: CoreError.invalidState("the payout is processing")) { try PayoutRules.checkClaim(payout) }
        try PayoutRules.checkFinish(payout)
    }

    @Test func aProviderRefundIsClaimedOnce() {
        #expect(ProviderRefundClaim.first(amount: 500, succeeded: false, unclaimedTotal: 300) == .claimFailed)
        #expect(ProviderRefundClaim.first(amount: 500, succeeded: true, unclaimedTotal: 300) == .claimSucceeded(covered: 300, take: 200))
        #expect(ProviderRefundClaim.first(amount: 500, succeeded: true, unclaimedTotal: 900) == .claimSucceeded(covered: 500, take: 0))
        #expect(ProviderRefundClaim.again(claimStatus: "succeeded", succeeded: false) == .reviewFailure)
        #expect(ProviderRefundClaim.again(claimStatus: "succeeded", succeeded: true) == .duplicate)
        #expect(ProviderRefundClaim.again(claimStatus: "failed", succeeded: false) == .duplicate)
    }

    @Test func givingPaysTheDebtFirstAndTakingBorrowsInto() {
        let user = UUID()
        #expect(LedgerLeg.give(5, to: user, from: .stripeClearing, owed: 3).map(\.amount) == [-5, 3, 2])
        #expect(LedgerLeg.take(5, from: user, to: .stripeClearing, available: 2).map(\.amount) == [-2, -3, 5])
    }
}

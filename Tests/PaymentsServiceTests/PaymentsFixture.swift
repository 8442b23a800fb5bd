import BookingService
import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import ServiceSupport

/// The payments, wallet and payouts services (and booking, for escrow) on the in-memory stores and fake providers.
struct PaymentsFixture: Sendable {
    let h: MarketplaceHarness
    let stripe = FakePaymentGateway(.stripe)
    let upi = FakePaymentGateway(.upi)
    let transfers = FakePayoutGateway()

    init() {
        let (stripe, upi, transfers) = (self.stripe, self.upi, self.transfers)
        h = MarketplaceHarness { stores in
            var payments = PaymentsConfiguration()
            payments.now = { stores.clock.now.date }
            var booking = BookingConfiguration()
            booking.now = { stores.clock.now }
            return [
                PaymentsService(store: stores.payments, gateways: [.stripe: stripe, .upi: upi], configuration: payments),
                WalletService(store: stores.payments, cursors: stores.cursors),
                PayoutsService(store: stores.payments, gateway: transfers, configuration: payments),
                BookingService(store: stores.bookings, configuration: booking),
            ]
        }
    }

    /// A top-up of `credits` by `user`, paid (its success webhook processed); the payment id.
    func paidTopUp(_ user: Caller, credits: Int, provider: PaymentProviderName = .stripe, key: String = UUID().uuidString) async throws -> String {
        let payment = try await h.ok(
            "payments.createTopUp", #"{"provider":"\#(provider.rawValue)","credits":\#(credits),"idempotencyKey":"\#(key)"}"#, as: user)
        let id = try require(payment["paymentId"] as? String)
        let outcome = try await h.stores.payments.process(
            ProviderEvent(
                provider: provider, eventId: "evt_\(UUID().uuidString.prefix(8))", type: "payment_intent.succeeded", succeeded: true,
                providerRef: payment["providerRef"] as? String, chargeRef: "ch_1",
                amount: payment["amount"] as? Int64 ?? Int64(payment["amount"] as? Int ?? 0), currency: payment["currency"] as? String),
            requestId: nil)
        guard case .granted = outcome else { throw TestingError.callFailed("process", "\(outcome)") }
        return id
    }
}

/// `#require` for fixtures outside a test body.
func require<T>(_ value: T?, _ what: String = "value") throws -> T {
    guard let value else { throw TestingError.callFailed(what, "missing") }
    return value
}

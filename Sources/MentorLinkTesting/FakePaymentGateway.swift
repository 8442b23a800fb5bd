public import Foundation
public import MentorLinkCore
import Synchronization

/// A payment provider in memory: payments and refunds are made once per idempotency key (a repeat returns the first
/// answer, as Stripe and Razorpay do), and a test scripts what the next refund answers — a status, or an error
/// (``MentorLinkCore/GatewayError``: a final refusal, a timeout) — and whether lookups fail.
public final class FakePaymentGateway: PaymentGateway {
    struct State {
        var payments: [String: GatewayPayment] = [:]
        var refunds: [String: GatewayRefund] = [:]
        var refundAnswer: Result<GatewayRefund.Status, GatewayError> = .success(.succeeded)
        var lookupFails = false
        var calls: [String] = []
    }

    private let state = Mutex(State())
    /// The provider it stands for (`pi_…` references for Stripe, `order_…` for UPI).
    public let provider: PaymentProviderName

    /// A provider that answers every refund `succeeded`.
    public init(_ provider: PaymentProviderName = .stripe) { self.provider = provider }

    /// What the next refunds answer: a status the provider gives them, or an error (the refund not made, or its
    /// outcome unknown when the error is not a final refusal).
    public func answerRefunds(_ answer: Result<GatewayRefund.Status, GatewayError>) { state.withLock { $0.refundAnswer = answer } }

    /// Makes refund lookups fail (the provider cannot be reached).
    public func failLookups(_ fail: Bool) { state.withLock { $0.lookupFails = fail } }

    /// Sets the provider's record of a refund it made (a webhook's or dashboard's word).
    public func setRefund(idempotencyKey: String, _ refund: GatewayRefund) { state.withLock { $0.refunds[idempotencyKey] = refund } }

    /// The calls made so far (`createPayment`, `refund`, `findRefund`), in order.
    public var calls: [String] { state.withLock { $0.calls } }

    public func createPayment(paymentId: UUID, userId: UUID, amount: Int64, currency: String, idempotencyKey: String) async throws -> GatewayPayment {
        state.withLock { state in
            state.calls.append("createPayment")
            if let made = state.payments[idempotencyKey] { return made }
            let id = UUID().uuidString.prefix(12).lowercased()
            let made =
                provider == .stripe
                ? GatewayPayment(reference: "pi_\(id)", clientSecret: "pi_\(id)_secret_test") : GatewayPayment(reference: "order_\(id)")
            state.payments[idempotencyKey] = made
            return made
        }
    }

    public func refund(payment: Payment, amount: Int64, idempotencyKey: String) async throws -> GatewayRefund {
        try state.withLock { state throws(GatewayError) -> GatewayRefund in
            state.calls.append("refund")
            if let made = state.refunds[idempotencyKey] { return made }
            switch state.refundAnswer {
            case .failure(let error):
                // An unknown outcome may still have been carried out: the provider keeps a pending refund.
                if !error.isFinalRefusal { state.refunds[idempotencyKey] = GatewayRefund(reference: Self.refundReference(), status: .pending) }
                throw error
            case .success(let status):
                let made = GatewayRefund(reference: Self.refundReference(), status: status)
                state.refunds[idempotencyKey] = made
                return made
            }
        }
    }

    public func findRefund(payment: Payment, reference: String?, idempotencyKey: String) async throws -> GatewayRefund? {
        try state.withLock { state throws(GatewayError) -> GatewayRefund? in
            state.calls.append("findRefund")
            if state.lookupFails { throw GatewayError(status: 0, message: "not reached") }
            return state.refunds[idempotencyKey]
        }
    }

    static func refundReference() -> String { "re_\(UUID().uuidString.prefix(12).lowercased())" }
}

/// Stripe transfers in memory: one transfer per idempotency key; a test scripts the next answer (an error: a final
/// refusal, or an unknown outcome) and whether lookups fail.
public final class FakePayoutGateway: PayoutGateway {
    struct State {
        var transfers: [String: String] = [:]
        var failure: GatewayError?
        /// Whether a transfer whose answer was lost was made anyway.
        var madeDespiteError = false
        var lookupFails = false
    }

    private let state = Mutex(State())

    /// A provider that makes every transfer.
    public init() {}

    /// Makes the next transfers fail with `error` (`nil`: they succeed); with `madeAnyway`, the provider made the
    /// transfer though the answer was an error (a lost answer).
    public func failTransfers(_ error: GatewayError?, madeAnyway: Bool = false) {
        state.withLock { state in
            state.failure = error
            state.madeDespiteError = madeAnyway
        }
    }

    /// Makes transfer lookups fail.
    public func failLookups(_ fail: Bool) { state.withLock { $0.lookupFails = fail } }

    /// How many transfers were made.
    public var transferCount: Int { state.withLock { $0.transfers.count } }

    public func transfer(payoutId: UUID, mentorId: UUID, amount: Int64, currency: String, idempotencyKey: String) async throws -> String {
        try state.withLock { state throws(GatewayError) -> String in
            if let made = state.transfers[idempotencyKey] { return made }
            if let failure = state.failure {
                if state.madeDespiteError { state.transfers[idempotencyKey] = "tr_\(UUID().uuidString.prefix(12).lowercased())" }
                throw failure
            }
            let made = "tr_\(UUID().uuidString.prefix(12).lowercased())"
            state.transfers[idempotencyKey] = made
            return made
        }
    }

    public func findTransfer(payoutId: UUID, idempotencyKey: String) async throws -> String? {
        try state.withLock { state throws(GatewayError) -> String? in
            if state.lookupFails { throw GatewayError(status: 0, message: "not reached") }
            return state.transfers[idempotencyKey]
        }
    }
}

import Foundation
public import JSONRPC
import Logging
public import MentorLinkCore
import ServiceSupport

/// `payments.*`: top-ups with Stripe or a UPI gateway (credits come only from verified webhooks), admin refunds
/// of unspent credits, and the ledger's reconciliation.
public struct PaymentsService: RPCService {
    let store: any PaymentsStore
    let gateways: [PaymentProviderName: any PaymentGateway]
    let configuration: PaymentsConfiguration

    /// Creates the service.
    public init(store: any PaymentsStore, gateways: [PaymentProviderName: any PaymentGateway], configuration: PaymentsConfiguration) {
        self.store = store
        self.gateways = gateways
        self.configuration = configuration
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register(
            "payments.createTopUp", summary: "Start buying credits with Stripe or UPI; the same idempotency key returns the same payment.",
            access: .authenticated, rateLimit: .payments, idempotent: true, handler: createTopUp)
        registry.register("payments.get", summary: "One of your payments (admins: any).", access: .authenticated, handler: get)
        registry.register(
            "payments.refund", summary: "Refund unspent credits of a payment through its provider.", access: .only(.admin), rateLimit: .payments,
            handler: refund)
        registry.register(
            "payments.settleRefund", summary: "Settle a pending refund by the provider's record (after a timeout or a pending answer).",
            access: .only(.admin), rateLimit: .payments, handler: settleRefund)
        registry.register("payments.reconcile", summary: "Check the whole ledger.", access: .only(.admin), handler: reconcile)
        registry.register(
            "booking.reportNoShow",
            summary:
                "Report that the mentor did not show up (mentee, from the start until the no-show window after the end): the escrow is held for an admin.",
            access: .authenticated, rateLimit: .payments, handler: reportNoShow)
        registry.register(
            "admin.resolveEscrow", summary: "Decide a disputed or frozen escrow: refund it to the mentee or release it to the mentor, audited.",
            access: .only(.admin), rateLimit: .payments, handler: resolveEscrow)
    }

    func createTopUp(_ params: TopUpParams, _ context: RPCContext) async throws -> Payment {
        let caller = try context.caller().id
        var problems: [FieldProblem] = []
        if !(1...configuration.maxTopUpCredits).contains(params.credits) {
            problems.append(FieldProblem(field: "credits", problem: "1 to \(configuration.maxTopUpCredits)"))
        }
        guard problems.isEmpty else { throw PaymentsError.invalid(problems) }
        guard let gateway = gateways[params.provider] else { throw PaymentsError.core(.unavailable(params.provider.rawValue)) }
        let (amount, currency) = configuration.price(params.credits, provider: params.provider)
        let (payment, _) = try await mapped {
            try await store.createPayment(
                NewPayment(
                    userId: caller, provider: params.provider, credits: params.credits, amount: amount, currency: currency,
                    idempotencyKey: params.idempotencyKey, audit: context.auditEntry("payment.create", details: ["credits": "\(params.credits)"])))
        }
        if payment.providerRef != nil { return payment }
        // First call, or a retry after the provider did not answer: the provider's idempotency key is our payment id,
        // so it creates its payment at most once.
        let created = try await mapped {
            try await gateway.createPayment(
                paymentId: payment.paymentId, userId: caller, amount: amount, currency: currency, idempotencyKey: payment.paymentId.uuidString)
        }
        let link = params.provider == .upi ? upiLink(reference: created.reference, amount: amount) : created.upiLink
        return try await mapped {
            try await store.attachProvider(
                paymentId: payment.paymentId, providerRef: created.reference, clientSecret: created.clientSecret, upiLink: link)
        }
    }

    /// A UPI intent link (NPCI's `upi://pay` scheme) for an order.
    func upiLink(reference: String, amount: Int64) -> String {
        let rupees = String(format: "%lld.%02lld", amount / 100, amount % 100)
        var components = URLComponents()
        components.scheme = "upi"
        components.host = "pay"
        components.queryItems = [
            URLQueryItem(name: "pa", value: configuration.upiPayeeAddress), URLQueryItem(name: "pn", value: "MentorLink"),
            URLQueryItem(name: "am", value: rupees), URLQueryItem(name: "cu", value: "INR"), URLQueryItem(name: "tr", value: reference),
            URLQueryItem(name: "tn", value: "MentorLink credits"),
        ]
        return components.string ?? "upi://pay?pa=\(configuration.upiPayeeAddress)&am=\(rupees)&cu=INR&tr=\(reference)"
    }

    func get(_ params: PaymentIdParams, _ context: RPCContext) async throws -> Payment {
        let caller = try context.caller().id
        guard let payment = try await store.payment(id: params.paymentId) else { throw PaymentsError.core(.notFound) }
        guard payment.userId == caller || context.signedInCaller?.isAdmin == true else { throw PaymentsError.core(.forbidden("not your payment")) }
        return payment
    }

    /// Debits the credits under a new refund's own reference, then asks the provider (idempotency key: the refund
    /// id). The refund follows the provider's answer: succeeded settles it; failed, or a final refusal, fails it and
    /// gives the credits back; pending (a 200 with a pending refund) keeps the provider's id and leaves it pending, as
    /// does no answer (a timeout, 409, 5xx), with the credits debited, for a webhook or `payments.settleRefund`.
    func refund(_ params: RefundParams, _ context: RPCContext) async throws -> Payment {
        guard let payment = try await store.payment(id: params.paymentId) else { throw PaymentsError.core(.notFound) }
        let credits = params.credits ?? (payment.credits - payment.refundedCredits)
        guard credits > 0 else { throw PaymentsError.invalid("credits", "at least 1") }
        guard let gateway = gateways[payment.provider] else { throw PaymentsError.core(.unavailable(payment.provider.rawValue)) }
        let (reserved, refund) = try await mapped {
            try await store.reserveRefund(
                paymentId: payment.paymentId, credits: credits,
                audit: context.auditEntry("payment.refund", target: payment.paymentId.uuidString, details: ["credits": "\(credits)"]))
        }
        let settled = try await ask(gateway, to: refund, of: reserved, context: context)
        if settled.status == "failed" { throw PaymentsError.provider(GatewayError(status: 200, message: "refund_failed")) }
        return reserved
    }

    /// `payments.settleRefund`: a pending refund settled by the provider's record. A lookup that fails decides nothing
    /// (`provider_pending`); a refund the provider has no record of (the request never reached it) is asked for again
    /// with the same idempotency key, so the provider makes it at most once. A settled refund is returned as it is.
    func settleRefund(_ params: RefundIdParams, _ context: RPCContext) async throws -> Refund {
        guard let refund = try await store.refund(id: params.refundId) else { throw PaymentsError.core(.notFound) }
        guard refund.status == "pending" else { return refund }
        guard let payment = try await store.payment(id: refund.paymentId) else { throw PaymentsError.core(.notFound) }
        guard let gateway = gateways[payment.provider] else { throw PaymentsError.core(.unavailable(payment.provider.rawValue)) }
        let found: GatewayRefund?
        do { found = try await gateway.findRefund(payment: payment, reference: refund.providerRef, idempotencyKey: refund.refundId.uuidString) } catch
        {
            context.logger.warning(
                "payments.refund_lookup_failed", metadata: ["refund": .string(refund.refundId.uuidString), "error": .string("\(error)")])
            throw PaymentsError.pending("refund")
        }
        if let found { return try await follow(found, refund: refund, context: context) }
        // The provider named this refund before: its record must come back before anything is decided.
        guard refund.providerRef == nil else { throw PaymentsError.pending("refund") }
        return try await ask(gateway, to: refund, of: payment, context: context)
    }

    /// Asks the provider for a recorded refund and follows its answer (see ``refund(_:_:)``); `provider_error` for a
    /// final refusal (the refund failed), `provider_pending` while it is not settled.
    func ask(_ gateway: any PaymentGateway, to refund: Refund, of payment: Payment, context: RPCContext) async throws -> Refund {
        let answer: GatewayRefund
        do { answer = try await gateway.refund(payment: payment, amount: refund.amount, idempotencyKey: refund.refundId.uuidString) } catch let error
            as GatewayError where error.isFinalRefusal
        {
            _ = try await mapped {
                try await store.settleRefund(
                    refundId: refund.refundId, succeeded: false, providerRef: nil,
                    audit: context.auditEntry("payment.refund_failed", details: ["error": error.message]))
            }
            throw PaymentsError.provider(error)
        } catch {
            context.logger.warning(
                "payments.refund_unknown", metadata: ["refund": .string(refund.refundId.uuidString), "error": .string("\(error)")])
            throw PaymentsError.pending("refund")
        }
        return try await follow(answer, refund: refund, context: context)
    }

    /// Records the provider's state of a refund: settled when it is final; else its id is kept and the answer is
    /// `provider_pending`.
    func follow(_ answer: GatewayRefund, refund: Refund, context: RPCContext) async throws -> Refund {
        switch answer.status {
        case .pending:
            _ = try await mapped { try await store.recordRefundReference(refundId: refund.refundId, providerRef: answer.reference) }
            throw PaymentsError.pending("refund")
        case .succeeded, .failed:
            let succeeded = answer.status == .succeeded
            return try await mapped {
                try await store.settleRefund(
                    refundId: refund.refundId, succeeded: succeeded, providerRef: answer.reference,
                    audit: context.auditEntry(
                        succeeded ? "payment.refund_succeeded" : "payment.refund_failed", details: ["providerRef": answer.reference]))
            }
        }
    }

    func reportNoShow(_ params: NoShowParams, _ context: RPCContext) async throws -> BookingEscrow {
        let caller = try context.caller().id
        let reason = params.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let reason, reason.count > 1000 || reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
            throw PaymentsError.invalid("reason", "at most 1000 characters, no control characters")
        }
        let audit = context.auditEntry("escrow.no_show", target: params.bookingId.uuidString, details: reason.map { ["reason": $0] } ?? [:])
        return try await mapped {
            try await store.reportNoShow(
                bookingId: params.bookingId, by: caller, reason: reason?.isEmpty == true ? nil : reason, now: Instant(configuration.now()),
                window: configuration.noShowReportWindow, audit: audit)
        }
    }

    func resolveEscrow(_ params: ResolveEscrowParams, _ context: RPCContext) async throws -> BookingEscrow {
        var problems: [FieldProblem] = []
        let decision: EscrowDecision? =
            switch params.decision {
            case "refund": .refund
            case "release": .release
            default: nil
            }
        if decision == nil { problems.append(FieldProblem(field: "decision", problem: "refund or release")) }
        let reason = params.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(3...500).contains(reason.count) || reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problems.append(FieldProblem(field: "reason", problem: "3 to 500 characters, no control characters"))
        }
        guard let decision, problems.isEmpty else { throw PaymentsError.invalid(problems) }
        let audit = context.auditEntry(
            "escrow.resolve", target: params.bookingId.uuidString, details: ["decision": params.decision, "reason": reason])
        return try await mapped {
            try await store.resolveEscrow(bookingId: params.bookingId, decision: decision, fees: configuration.platformFee, audit: audit)
        }
    }

    func reconcile(_: NoParams, _ context: RPCContext) async throws -> LedgerReport { try await store.reconcile() }
}

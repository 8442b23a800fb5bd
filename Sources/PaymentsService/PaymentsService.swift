public import JSONRPC
public import MentorLinkCore
import Foundation
import Logging

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
        registry.register("payments.refund", summary: "Refund unspent credits of a payment through its provider.", access: .only(.admin), rateLimit: .payments, handler: refund)
        registry.register("payments.reconcile", summary: "Check the whole ledger.", access: .only(.admin), handler: reconcile)
        registry.register(
            "booking.reportNoShow", summary: "Report that the mentor did not show up (mentee, from the start until the no-show window after the end): the escrow is held for an admin.",
            access: .authenticated, rateLimit: .payments, handler: reportNoShow)
        registry.register(
            "admin.resolveEscrow", summary: "Decide a disputed or frozen escrow: refund it to the mentee or release it to the mentor, audited.",
            access: .only(.admin), rateLimit: .payments, handler: resolveEscrow)
    }

    func createTopUp(_ params: TopUpParams, _ context: RPCContext) async throws -> Payment {
        let caller = try context.callerId()
        var problems: [FieldProblem] = []
        if !(1...configuration.maxTopUpCredits).contains(params.credits) {
            problems.append(FieldProblem(field: "credits", problem: "1 to \(configuration.maxTopUpCredits)"))
        }
        if !(8...100).contains(params.idempotencyKey.count) || params.idempotencyKey.contains(where: { !$0.isASCII || $0.isWhitespace }) {
            problems.append(FieldProblem(field: "idempotencyKey", problem: "8 to 100 printable ASCII characters"))
        }
        guard problems.isEmpty else { throw PaymentsError.invalid(problems) }
        guard let gateway = gateways[params.provider] else { throw PaymentsError.core(.unavailable(params.provider.rawValue)) }
        let (amount, currency) = configuration.price(params.credits, provider: params.provider)
        let (payment, _) = try await mapped {
            try await store.createPayment(NewPayment(
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
            try await store.attachProvider(paymentId: payment.paymentId, providerRef: created.reference, clientSecret: created.clientSecret, upiLink: link)
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
        let caller = try context.callerId()
        guard let payment = try await store.payment(id: params.paymentId) else { throw PaymentsError.core(.notFound) }
        guard payment.userId == caller || context.principal?.roles.contains(.admin) == true else { throw PaymentsError.core(.forbidden("not your payment")) }
        return payment
    }

    /// Debits the credits under a new refund's own reference, then asks the provider (idempotency key: the refund
    /// id). Its success settles the refund; a final refusal fails it and gives the credits back; anything else (a
    /// timeout, 409, 5xx) leaves it pending with the credits debited, for the provider's webhook to settle.
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
        let providerRef: String
        do {
            providerRef = try await gateway.refund(payment: reserved, amount: refund.amount, idempotencyKey: refund.refundId.uuidString)
        } catch let error as GatewayError where error.isFinalRefusal {
            _ = try await mapped {
                try await store.settleRefund(
                    refundId: refund.refundId, succeeded: false, providerRef: nil,
                    audit: context.auditEntry("payment.refund_failed", details: ["error": error.message]))
            }
            throw PaymentsError.provider(error)
        } catch {
            context.logger.warning("payments.refund_unknown", metadata: ["refund": .string(refund.refundId.uuidString), "error": .string("\(error)")])
            throw PaymentsError.pending("refund")
        }
        _ = try await mapped {
            try await store.settleRefund(
                refundId: refund.refundId, succeeded: true, providerRef: providerRef.isEmpty ? nil : providerRef,
                audit: context.auditEntry("payment.refund_succeeded", details: ["providerRef": providerRef]))
        }
        return reserved
    }

    func reportNoShow(_ params: NoShowParams, _ context: RPCContext) async throws -> BookingEscrow {
        let caller = try context.callerId()
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
        let decision: EscrowDecision? = switch params.decision {
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
        let audit = context.auditEntry("escrow.resolve", target: params.bookingId.uuidString, details: ["decision": params.decision, "reason": reason])
        return try await mapped { try await store.resolveEscrow(bookingId: params.bookingId, decision: decision, audit: audit) }
    }

    func reconcile(_: NoParams, _ context: RPCContext) async throws -> LedgerReport {
        try await store.reconcile()
    }
}

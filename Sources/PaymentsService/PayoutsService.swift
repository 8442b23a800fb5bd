import Foundation
public import JSONRPC
import Logging
public import MentorLinkCore
import ServiceSupport

/// `payouts.*`: a mentor asks for earnings to be paid; an admin approves, which makes a Stripe transfer.
public struct PayoutsService: RPCService {
    let store: any PaymentsStore
    let gateway: (any PayoutGateway)?
    let configuration: PaymentsConfiguration

    /// Creates the service.
    public init(store: any PaymentsStore, gateway: (any PayoutGateway)?, configuration: PaymentsConfiguration) {
        self.store = store
        self.gateway = gateway
        self.configuration = configuration
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register(
            "payouts.request", summary: "Ask for earnings to be paid out (refused with in_debt while you owe credits).", access: .only(.mentor),
            rateLimit: .payments, handler: request)
        registry.register("payouts.list", summary: "Your payouts (admins: everyone's).", access: .authenticated, handler: list)
        registry.register(
            "payouts.approve", summary: "Pay a requested payout (a Stripe transfer).", access: .only(.admin), rateLimit: .payments, handler: approve)
        registry.register(
            "payouts.settle", summary: "Settle a processing payout by the provider's record (after a timeout or 409).", access: .only(.admin),
            rateLimit: .payments, handler: settle)
    }

    func request(_ params: PayoutRequestParams, _ context: RPCContext) async throws -> Payout {
        let caller = try context.caller().id
        guard (1...1_000_000).contains(params.credits) else { throw PaymentsError.invalid("credits", "1 to 1000000") }
        return try await mapped {
            try await store.requestPayout(
                mentorId: caller, credits: params.credits, audit: context.auditEntry("payout.request", details: ["credits": "\(params.credits)"]))
        }
    }

    func list(_: NoParams, _ context: RPCContext) async throws -> PayoutPage {
        let caller = try context.caller().id
        let admin = context.signedInCaller?.isAdmin == true
        return PayoutPage(items: try await store.payouts(mentorId: admin ? nil : caller, limit: 100))
    }

    /// Claims the payout (`requested` → `processing` under its row lock, so a second approval is refused), then
    /// asks the provider for the transfer and settles by its answer.
    func approve(_ params: PayoutIdParams, _ context: RPCContext) async throws -> Payout {
        let admin = try context.caller().id
        guard let gateway else { throw PaymentsError.core(.unavailable("stripe")) }
        let claimed = try await mapped { try await store.claimPayout(id: params.payoutId, by: admin, audit: context.auditEntry("payout.claim")) }
        return try await transfer(claimed, gateway: gateway, admin: admin, context: context)
    }

    /// Settles a `processing` payout whose transfer's outcome was unknown: the provider's record first; when it has
    /// none, the transfer is asked for again with the same idempotency key (the provider makes it at most once). A
    /// lookup that fails decides nothing: the payout stays `processing` (`provider_pending`, retry later), because
    /// asking again once the key has expired at the provider would pay the mentor twice.
    func settle(_ params: PayoutIdParams, _ context: RPCContext) async throws -> Payout {
        let admin = try context.caller().id
        guard let gateway else { throw PaymentsError.core(.unavailable("stripe")) }
        guard let payout = try await store.payout(id: params.payoutId) else { throw PaymentsError.core(.notFound) }
        guard payout.status == "processing" else { throw PaymentsError.core(.invalidState("the payout is \(payout.status)")) }
        let found: String?
        do { found = try await gateway.findTransfer(payoutId: payout.payoutId, idempotencyKey: Self.idempotencyKey(payout)) } catch {
            context.logger.warning("payouts.lookup_failed", metadata: ["payout": .string(payout.payoutId.uuidString), "error": .string("\(error)")])
            throw PaymentsError.pending("payout")
        }
        if let found { return try await finish(payout, transfer: found, admin: admin, context: context) }
        return try await transfer(payout, gateway: gateway, admin: admin, context: context)
    }

    static func idempotencyKey(_ payout: Payout) -> String { payout.payoutId.uuidString }

    func transfer(_ payout: Payout, gateway: any PayoutGateway, admin: UUID, context: RPCContext) async throws -> Payout {
        let amount = try configuration.payoutAmount(payout.credits)
        let key = Self.idempotencyKey(payout)
        let transfer: String
        do {
            transfer = try await gateway.transfer(
                payoutId: payout.payoutId, mentorId: payout.mentorId, amount: amount, currency: configuration.payoutCurrency, idempotencyKey: key)
        } catch let error as GatewayError where error.isFinalRefusal {
            // The provider refused for good: the earnings go back to the mentor.
            _ = try await mapped {
                try await store.finishPayout(
                    id: payout.payoutId, transferRef: nil, by: admin, audit: context.auditEntry("payout.failed", details: ["error": error.message]))
            }
            throw PaymentsError.provider(error)
        } catch {
            // Not reached, timed out, 409 (the same key in flight) or 5xx: the transfer may have been made. Only the
            // provider's record decides; without one the payout stays `processing` (never failed blindly).
            guard let found = try? await gateway.findTransfer(payoutId: payout.payoutId, idempotencyKey: key) else {
                context.logger.warning(
                    "payouts.outcome_unknown", metadata: ["payout": .string(payout.payoutId.uuidString), "error": .string("\(error)")])
                throw PaymentsError.pending("payout")
            }
            transfer = found
        }
        return try await finish(payout, transfer: transfer, admin: admin, context: context)
    }

    func finish(_ payout: Payout, transfer: String, admin: UUID, context: RPCContext) async throws -> Payout {
        try await mapped {
            try await store.finishPayout(
                id: payout.payoutId, transferRef: transfer, by: admin, audit: context.auditEntry("payout.approve", details: ["transfer": transfer]))
        }
    }
}

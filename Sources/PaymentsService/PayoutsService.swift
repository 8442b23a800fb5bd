public import JSONRPC
public import MentorLinkCore
import Foundation

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
        registry.register("payouts.request", summary: "Ask for earnings to be paid out.", access: .only(.mentor), rateLimit: .payments, handler: request)
        registry.register("payouts.list", summary: "Your payouts (admins: everyone's).", access: .authenticated, handler: list)
        registry.register("payouts.approve", summary: "Pay a requested payout (a Stripe transfer).", access: .only(.admin), rateLimit: .payments, handler: approve)
    }

    func request(_ params: PayoutRequestParams, _ context: RPCContext) async throws -> Payout {
        let caller = try context.callerId()
        guard (1...1_000_000).contains(params.credits) else { throw PaymentsError.invalid("credits", "1 to 1000000") }
        return try await mapped {
            try await store.requestPayout(mentorId: caller, credits: params.credits, audit: context.auditEntry("payout.request", details: ["credits": "\(params.credits)"]))
        }
    }

    func list(_: NoParams, _ context: RPCContext) async throws -> PayoutPage {
        let caller = try context.callerId()
        let admin = context.principal?.roles.contains(.admin) == true
        return PayoutPage(items: try await store.payouts(mentorId: admin ? nil : caller, limit: 100))
    }

    func approve(_ params: PayoutIdParams, _ context: RPCContext) async throws -> Payout {
        let admin = try context.callerId()
        guard let payout = try await store.payout(id: params.payoutId) else { throw PaymentsError.core(.notFound) }
        guard payout.status == "requested" else { throw PaymentsError.core(.invalidState("the payout is \(payout.status)")) }
        guard let gateway else { throw PaymentsError.core(.unavailable("stripe")) }
        let amount = Int64(payout.credits) * configuration.creditPriceUSDCents
        do {
            let transfer = try await gateway.transfer(
                payoutId: payout.payoutId, mentorId: payout.mentorId, amount: amount, currency: configuration.payoutCurrency,
                idempotencyKey: payout.payoutId.uuidString)
            return try await mapped {
                try await store.finishPayout(
                    id: payout.payoutId, transferRef: transfer, by: admin, audit: context.auditEntry("payout.approve", details: ["transfer": transfer]))
            }
        } catch let error as GatewayError where error.status >= 400 && error.status < 500 {
            // The provider refused for good: the earnings go back to the mentor.
            _ = try await store.finishPayout(
                id: payout.payoutId, transferRef: nil, by: admin, audit: context.auditEntry("payout.failed", details: ["error": error.message]))
            throw PaymentsError.provider(error)
        } catch let error as GatewayError {
            throw PaymentsError.provider(error)
        }
    }
}

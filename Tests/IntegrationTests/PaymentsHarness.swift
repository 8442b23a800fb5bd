import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import PostgresAdapter
import PostgresNIO
import Synchronization
import Testing

/// A provider stand-in that behaves as Stripe does with idempotency keys: one answer per key (repeats get the
/// first answer), a key still in flight answers 409, and a lookup of what was made. `hold` keeps a transfer in
/// flight until `release()`; `failAfterMaking` makes the call fail (as a timeout would) after the provider acted.
final class FakeProvider: PayoutGateway, PaymentGateway, Sendable {
    struct State {
        var made: [String: String] = [:]
        var inFlight: Set<String> = []
        var calls = 0
        var hold = false
        var failAfterMaking: GatewayError?
        var refuseWith: GatewayError?
        var gate: [CheckedContinuation<Void, Never>] = []
        var entered: [CheckedContinuation<Void, Never>] = []
        var refunds: [String: String] = [:]
        var amounts: [String: Int64] = [:]
        /// Lookups (`findTransfer`, `findRefund`) fail with this, as when the provider cannot be reached.
        var lookupFailure: GatewayError?
        /// The state the provider answers and reports for refunds.
        var refundStatus: GatewayRefund.Status = .succeeded
    }

    let state = Mutex(State())

    func configure(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }
    var calls: Int { state.withLock { $0.calls } }
    var transfersMade: Int { state.withLock { $0.made.count } }

    /// Waits until a call is being held.
    func waitUntilEntered() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if !state.gate.isEmpty { return true }
                state.entered.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Lets held calls finish.
    func release() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.hold = false
            defer { state.gate = [] }
            return state.gate
        }
        waiting.forEach { $0.resume() }
    }

    /// Runs one idempotent provider call.
    func perform(_ key: String, prefix: String, store: WritableKeyPath<State, [String: String]>) async throws -> String {
        enum Step {
            case replay(String)
            case conflict
            case refuse(GatewayError)
            case run(hold: Bool)
        }
        let step = state.withLock { state -> Step in
            state.calls += 1
            if let made = state[keyPath: store][key] { return .replay(made) }
            if state.inFlight.contains(key) { return .conflict }
            if let refusal = state.refuseWith { return .refuse(refusal) }
            state.inFlight.insert(key)
            return .run(hold: state.hold)
        }
        switch step {
        case .replay(let made): return made
        case .conflict: throw GatewayError(status: 409, message: "idempotency_key_in_use")
        case .refuse(let error): throw error
        case .run(let hold):
            if hold {
                await withCheckedContinuation { continuation in
                    let entered = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                        state.gate.append(continuation)
                        defer { state.entered = [] }
                        return state.entered
                    }
                    entered.forEach { $0.resume() }
                }
            }
            let (made, failure) = state.withLock { state -> (String, GatewayError?) in
                let made = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
                state.inFlight.remove(key)
                state[keyPath: store][key] = made
                return (made, state.failAfterMaking)
            }
            if let failure { throw failure }
            return made
        }
    }

    func transfer(payoutId: UUID, mentorId: UUID, amount: Int64, currency: String, idempotencyKey: String) async throws -> String {
        defer { state.withLock { state in if state.made[idempotencyKey] != nil { state.amounts[idempotencyKey] = amount } } }
        return try await perform(idempotencyKey, prefix: "tr", store: \.made)
    }

    /// Minor units transferred, once per transfer made.
    var paidOut: Int64 { state.withLock { $0.amounts.values.reduce(0, +) } }

    func findTransfer(payoutId: UUID, idempotencyKey: String) async throws -> String? {
        if let failure = state.withLock({ $0.lookupFailure }) { throw failure }
        return state.withLock { $0.made[idempotencyKey] }
    }

    func createPayment(paymentId: UUID, userId: UUID, amount: Int64, currency: String, idempotencyKey: String) async throws -> GatewayPayment {
        GatewayPayment(reference: "pi_\(paymentId.uuidString.prefix(8).lowercased())")
    }

    func refund(payment: Payment, amount: Int64, idempotencyKey: String) async throws -> GatewayRefund {
        let reference = try await perform(idempotencyKey, prefix: "re", store: \.refunds)
        return GatewayRefund(reference: reference, status: state.withLock { $0.refundStatus })
    }

    func findRefund(payment: Payment, reference: String?, idempotencyKey: String) async throws -> GatewayRefund? {
        try state.withLock { state in
            if let failure = state.lookupFailure { throw failure }
            return state.refunds[idempotencyKey].map { GatewayRefund(reference: $0, status: state.refundStatus) }
        }
    }

    var refundsMade: Int { state.withLock { $0.refunds.count } }
}

/// The payments services over a fresh database (through ``BookingHarness``) with a fake provider, called in-process.
struct PaymentsHarness: Sendable {
    let base: BookingHarness
    let provider: FakeProvider
    let dispatcher: RPCDispatcher
    let configuration: PaymentsConfiguration

    static func with(_ body: (PaymentsHarness) async throws -> Void) async throws {
        try await BookingHarness.with { base in
            let provider = FakeProvider()
            var configuration = PaymentsConfiguration()
            configuration.now = { base.clock.now.date }
            var registry = MethodRegistry()
            registry.mount(WalletService(store: base.payments))
            registry.mount(PaymentsService(store: base.payments, gateways: [.stripe: provider, .upi: provider], configuration: configuration))
            registry.mount(PayoutsService(store: base.payments, gateway: provider, configuration: configuration))
            let dispatcher = RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "t", version: "0"))
            try await body(PaymentsHarness(base: base, provider: provider, dispatcher: dispatcher, configuration: configuration))
        }
    }

    func call(_ method: String, _ params: String = "{}", as user: BookingHarness.User) async throws -> Outcome {
        let context = RPCContext(
            requestId: "t-\(UUID().uuidString.prefix(6))", logger: TestEnvironment.logger, principal: user.principal, clientAddress: "10.0.0.1",
            transport: .http, credentials: RequestCredentials(bearer: nil, cookies: [:], origin: nil))
        return try await dispatcher.call(method, params, context: context)
    }

    /// Earnings for a mentor, posted as a released escrow would be (an adjustment moved on to earnings).
    func earn(_ mentor: BookingHarness.User, _ credits: Int) async throws {
        try await base.pool.client.query(
            """
            SELECT ledger_post('test_earnings', \(UUID().uuidString), ARRAY['', \(mentor.id.uuidString)]::text[],
                ARRAY['adjustments', 'earnings']::text[], ARRAY[\(-Int64(credits)), \(Int64(credits))]::int8[], NULL)
            """, logger: TestEnvironment.logger)
    }
}

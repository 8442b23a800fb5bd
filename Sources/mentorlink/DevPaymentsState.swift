import Foundation
import PaymentsService

/// What the local provider server remembers: Stripe PaymentIntents, refunds and transfers; UPI gateway orders,
/// payments and refunds; and the answers to idempotency keys it has seen (replayed as Stripe does).
actor DevPaymentsState {
    struct Intent {
        var id: String
        var amount: Int64
        var currency: String
        var status: String
        var paymentId: String
        var charge: String?
        var refunded: Int64 = 0
    }

    struct Order {
        var id: String
        var amount: Int64
        var currency: String
        var status: String
        var receipt: String
        var payment: String?
        var refunded: Int64 = 0
    }

    struct Transfer {
        var id: String
        var amount: Int64
        var currency: String
        var destination: String
        var group: String?
    }

    var transfers: [String: Transfer] = [:]
    var inFlight: Set<String> = []
    var intents: [String: Intent] = [:]
    var orders: [String: Order] = [:]
    var replies: [String: StoredReply] = [:]

    /// A response kept for an idempotency key.
    struct StoredReply: Sendable {
        var status: Int
        var body: Data
    }

    /// A stored answer to `key` (Stripe replays the first response to a repeated idempotency key).
    func reply(for key: String) -> StoredReply? { replies[key] }
    func remember(_ key: String, _ reply: StoredReply) {
        replies[key] = reply
        inFlight.remove(key)
    }

    /// Starts a request under an idempotency key: its stored answer, `.inFlight` while the first is still running
    /// (Stripe answers 409 then), or `.new` (the caller must `remember` the answer, or `abandon` the key).
    enum KeyState {
        case new, inFlight
        case answered(StoredReply)
    }
    func begin(_ key: String) -> KeyState {
        if let stored = replies[key] { return .answered(stored) }
        if inFlight.contains(key) { return .inFlight }
        inFlight.insert(key)
        return .new
    }
    func abandon(_ key: String) { inFlight.remove(key) }

    func createTransfer(amount: Int64, currency: String, destination: String, group: String?) -> Transfer {
        let transfer = Transfer(id: "tr_\(Self.random())", amount: amount, currency: currency, destination: destination, group: group)
        transfers[transfer.id] = transfer
        return transfer
    }

    func transfer(_ id: String) -> Transfer? { transfers[id] }
    func transfers(group: String?) -> [Transfer] { transfers.values.filter { group == nil || $0.group == group }.sorted { $0.id < $1.id } }

    func createIntent(amount: Int64, currency: String, paymentId: String) -> Intent {
        let intent = Intent(id: "pi_\(Self.random())", amount: amount, currency: currency, status: "requires_payment_method", paymentId: paymentId)
        intents[intent.id] = intent
        return intent
    }

    func createOrder(amount: Int64, currency: String, receipt: String) -> Order {
        if let existing = orders.values.first(where: { $0.receipt == receipt }) { return existing }
        let order = Order(id: "order_\(Self.random())", amount: amount, currency: currency, status: "created", receipt: receipt)
        orders[order.id] = order
        return order
    }

    /// Marks a payment paid, by provider reference or by the project's payment id.
    func complete(_ reference: String) -> (intent: Intent?, order: Order?) {
        if var intent = intents[reference] ?? intents.values.first(where: { $0.paymentId == reference }) {
            intent.status = "succeeded"
            intent.charge = intent.charge ?? "ch_\(Self.random())"
            intents[intent.id] = intent
            return (intent, nil)
        }
        if var order = orders[reference] ?? orders.values.first(where: { $0.receipt == reference }) {
            order.status = "paid"
            order.payment = order.payment ?? "pay_\(Self.random())"
            orders[order.id] = order
            return (nil, order)
        }
        return (nil, nil)
    }

    func refundIntent(_ id: String, amount: Int64) -> Bool {
        guard var intent = intents[id], intent.status == "succeeded", intent.refunded + amount <= intent.amount else { return false }
        intent.refunded += amount
        intents[id] = intent
        return true
    }

    func refundPayment(_ payment: String, amount: Int64) -> Bool {
        guard var order = orders.values.first(where: { $0.payment == payment }), order.refunded + amount <= order.amount else { return false }
        order.refunded += amount
        orders[order.id] = order
        return true
    }

    func intent(_ id: String) -> Intent? { intents[id] }

    /// A succeeded PaymentIntent, by its id or the project's payment id.
    func completedIntent(_ reference: String) -> Intent? {
        (intents[reference] ?? intents.values.first(where: { $0.paymentId == reference })).flatMap { $0.status == "succeeded" ? $0 : nil }
    }

    enum ProviderRefund {
        case stripe(Intent)
        case upi(Order, refunded: Int64)
        case none
    }

    /// Refunds at the provider's side (as from its dashboard): `amount` or all that is left of a completed payment.
    func refundAtProvider(_ reference: String, amount: Int64?) -> ProviderRefund {
        if var intent = completedIntent(reference) {
            let refund = amount ?? (intent.amount - intent.refunded)
            guard refund > 0, intent.refunded + refund <= intent.amount else { return .none }
            intent.refunded += refund
            intents[intent.id] = intent
            return .stripe(intent)
        }
        if var order = orders[reference] ?? orders.values.first(where: { $0.receipt == reference }), order.payment != nil {
            let refund = amount ?? (order.amount - order.refunded)
            guard refund > 0, order.refunded + refund <= order.amount else { return .none }
            order.refunded += refund
            orders[order.id] = order
            return .upi(order, refunded: refund)
        }
        return .none
    }

    static func random() -> String { String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)) }
}

extension DevPaymentsState {
    /// What the checkout page shows of a payment: its provider reference, amount, and whether it is paid already.
    struct Checkout: Sendable {
        var reference: String
        var amount: Int64
        var currency: String
        var upi: Bool
        var paid: Bool
    }

    /// The payment behind a checkout address: a PaymentIntent (`pi_…`) or an order (`order_…`), nil for anything else.
    func checkout(_ reference: String) -> Checkout? {
        if let intent = intents[reference] {
            return Checkout(reference: intent.id, amount: intent.amount, currency: intent.currency, upi: false, paid: intent.status == "succeeded")
        }
        if let order = orders[reference] {
            return Checkout(reference: order.id, amount: order.amount, currency: order.currency, upi: true, paid: order.payment != nil)
        }
        return nil
    }
}

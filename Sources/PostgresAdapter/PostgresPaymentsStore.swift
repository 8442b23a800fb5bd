public import Foundation
public import Logging
public import MentorLinkCore
import PostgresNIO

/// ``PaymentsStore`` on PostgreSQL: every money movement is one `ledger_post` with its outbox event and audit entry
/// in the same transaction; user accounts can never go below zero (a CHECK on the cached balance, updated under
/// the account's row lock).
public struct PostgresPaymentsStore: PaymentsStore {
    let pool: PostgresPool
    let logger: Logger

    /// Creates the store over a pool.
    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    static func wallet(_ userId: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Wallet {
        var wallet = Wallet(available: 0, escrow: 0, earnings: 0)
        let rows = try await connection.query("SELECT kind, balance FROM ledger_accounts WHERE owner_id = \(userId)", logger: logger)
        for try await (kind, balance) in rows.decode((String, Int64).self) {
            switch LedgerAccountKind(rawValue: kind) {
            case .available: wallet.available = balance
            case .escrow: wallet.escrow = balance
            case .earnings: wallet.earnings = balance
            case .debt: wallet.debt = -balance
            default: break
            }
        }
        return wallet
    }

    public func wallet(userId: UUID) async throws -> Wallet {
        try await pool.read(logger: logger) { connection in try await Self.wallet(userId, on: connection, logger: logger) }
    }

    public func history(userId: UUID, beforeId: Int64?, limit: Int) async throws -> [WalletEntry] {
        try await pool.read(logger: logger) { connection in
            try await connection.fetch(
                WalletEntryRow.self,
                """
                SELECT \(unescaped: WalletEntryRow.columns) FROM \(unescaped: WalletEntryRow.from)
                WHERE a.owner_id = \(userId) AND (\(beforeId)::int8 IS NULL OR e.id < \(beforeId))
                ORDER BY e.id DESC LIMIT \(limit)
                """, logger: logger)
        }
    }

    public func adjust(userId: UUID, credits: Int, reason: String, audit: AuditEntry) async throws -> Wallet {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let reference = UUID().uuidString
            let legs =
                credits > 0
                ? LedgerLeg.move(credits, from: (nil, .adjustments), to: (userId, .available))
                : LedgerLeg.move(-credits, from: (userId, .available), to: (nil, .adjustments))
            try await connection.post("adjustment", reference: reference, legs: legs, memo: reason, logger: logger)
            struct Adjusted: Encodable {
                var userId: UUID
                var credits: Int
                var reason: String
            }
            try await connection.appendEvent(
                "wallet.adjusted", aggregate: "wallet", id: userId, payload: Adjusted(userId: userId, credits: credits, reason: reason),
                logger: logger)
            try await connection.appendAudit(audit, logger: logger)
            return try await Self.wallet(userId, on: connection, logger: logger)
        }
    }

    public func createPayment(_ payment: NewPayment) async throws -> (Payment, created: Bool) {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let inserted = try await connection.fetch(
                PaymentRow.self,
                """
                INSERT INTO payments AS p (user_id, provider, credits, amount_minor, currency, idempotency_key)
                VALUES (\(payment.userId), \(payment.provider.rawValue), \(payment.credits), \(payment.amount), \(payment.currency), \(payment.idempotencyKey))
                ON CONFLICT (user_id, idempotency_key) DO NOTHING
                RETURNING \(unescaped: PaymentRow.columns)
                """, logger: logger)
            if let created = inserted.first {
                try await connection.appendAudit(payment.audit.targetingPayment(created.paymentId), logger: logger)
                return (created, true)
            }
            let existing = try await connection.fetch(
                PaymentRow.self,
                "SELECT \(unescaped: PaymentRow.columns) FROM payments p WHERE p.user_id = \(payment.userId) AND p.idempotency_key = \(payment.idempotencyKey)",
                logger: logger)
            guard let found = existing.first else { throw PostgresAdapterError.unexpectedEmptyResult }
            guard found.provider == payment.provider, found.credits == payment.credits else { throw CoreError.idempotencyMismatch }
            return (found, false)
        }
    }

    public func attachProvider(paymentId: UUID, providerRef: String, clientSecret: String?, upiLink: String?) async throws -> Payment {
        try await pool.read(logger: logger) { connection in
            guard
                let payment = try await connection.fetchFirst(
                    PaymentRow.self,
                    """
                    UPDATE payments p SET provider_ref = \(providerRef), client_secret = \(clientSecret), upi_link = \(upiLink), updated_at = now()
                    WHERE p.id = \(paymentId) RETURNING \(unescaped: PaymentRow.columns)
                    """, logger: logger)
            else { throw CoreError.notFound }
            return payment
        }
    }

    public func payment(id: UUID) async throws -> Payment? {
        try await pool.read(logger: logger) { connection in
            try await connection.fetchFirst(
                PaymentRow.self, "SELECT \(unescaped: PaymentRow.columns) FROM payments p WHERE p.id = \(id)", logger: logger)
        }
    }

    public func process(_ event: ProviderEvent, requestId: String?) async throws -> EventOutcome {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            // The event id is claimed first: a concurrent delivery of the same event waits here for this
            // transaction, then finds the row and does nothing.
            let claimed = try await connection.query(
                """
                INSERT INTO provider_events (provider, event_id, event_type, outcome) VALUES (\(event.provider.rawValue), \(event.eventId), \(event.type), 'processing')
                ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id
                """, logger: logger)
            var isNew = false
            for try await _ in claimed.decode(String.self) { isNew = true }
            guard isNew else { return .duplicate("event already processed") }
            let outcome = try await Self.apply(event, requestId: requestId, on: connection, logger: logger)
            let text: String
            switch outcome {
            case .granted: text = "granted"
            case .debited(_, let credits): text = "debited \(credits)"
            case .settled(let what): text = "settled: \(what)"
            case .duplicate(let why): text = "duplicate: \(why)"
            case .ignored(let why): text = "ignored: \(why)"
            case .refused(let why): text = "refused: \(why)"
            }
            try await connection.query(
                "UPDATE provider_events SET outcome = \(text) WHERE provider = \(event.provider.rawValue) AND event_id = \(event.eventId)",
                logger: logger)
            return outcome
        }
    }

    static func apply(_ event: ProviderEvent, requestId: String?, on connection: PostgresConnection, logger: Logger) async throws -> EventOutcome {
        switch event.action {
        case .none: return .ignored(event.type)
        case .paymentSucceeded: break
        default: return try await applyAfterPayment(event, requestId: requestId, on: connection, logger: logger)
        }
        func refuse(_ why: String, target: String?) async throws -> EventOutcome {
            try await refusal(of: event, why, target: target, requestId: requestId, on: connection, logger: logger)
        }
        guard let reference = event.providerRef,
            let payment = try await connection.fetchFirst(
                PaymentRow.self,
                "SELECT \(unescaped: PaymentRow.columns) FROM payments p WHERE p.provider = \(event.provider.rawValue) AND p.provider_ref = \(reference) FOR UPDATE",
                logger: logger)
        else { return try await refuse("unknown payment", target: event.providerRef) }
        if let why = ProviderEventRules.refusalToGrant(event, for: payment) { return try await refuse(why, target: payment.paymentId.uuidString) }
        let granted = try await connection.post(
            "topup", reference: payment.paymentId.uuidString,
            legs: try await giveLegs(payment.credits, to: payment.userId, from: event.provider.clearingAccount, on: connection, logger: logger),
            memo: event.eventId, logger: logger)
        guard granted != nil else { return .duplicate("payment already granted") }
        let updated = try await connection.fetchOne(
            PaymentRow.self,
            """
            UPDATE payments p SET status = 'succeeded', provider_charge_ref = coalesce(\(event.chargeRef), provider_charge_ref), updated_at = now()
            WHERE p.id = \(payment.paymentId) RETURNING \(unescaped: PaymentRow.columns)
            """, logger: logger)
        try await connection.appendEvent(PaymentEvent(name: .succeeded, payload: updated), logger: logger)
        try await connection.appendAudit(
            AuditEntry(
                actorId: payment.userId, action: "payment.topup", target: payment.paymentId.uuidString, requestId: requestId,
                details: ["credits": "\(payment.credits)", "provider": event.provider.rawValue, "event": event.eventId]), logger: logger)
        return .granted(paymentId: payment.paymentId, credits: payment.credits)
    }
}

extension AuditEntry {
    /// The entry with a payment as its target.
    func targetingPayment(_ id: UUID) -> AuditEntry {
        var entry = self
        entry.target = id.uuidString
        return entry
    }
}

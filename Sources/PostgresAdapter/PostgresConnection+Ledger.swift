import Foundation
import Logging
import MentorLinkCore
import PostgresNIO

extension PostgresConnection {
    /// Posts a ledger transaction in the caller's transaction (`ledger_post`): returns its id, or `nil` when
    /// `(kind, reference)` was already posted. A user account going below zero throws `insufficientCredits`.
    @discardableResult func post(
        _ kind: String, reference: String, legs allLegs: [LedgerLeg], memo: String? = nil, logger: Logger
    ) async throws -> Int64? {
        precondition(allLegs.reduce(0) { $0 + $1.amount } == 0, "a ledger transaction must balance")
        // A leg of 0 moves nothing (e.g. a mentor's share of a 1-credit session once the fee is rounded up).
        let legs = allLegs.filter { $0.amount != 0 }
        let owners = legs.map { $0.owner?.uuidString ?? "" }
        let kinds = legs.map(\.kind.rawValue)
        let amounts = legs.map(\.amount)
        do {
            let rows = try await query(
                "SELECT ledger_post(\(kind), \(reference), \(owners)::text[], \(kinds)::text[], \(amounts)::int8[], \(memo))", logger: logger)
            for try await id in rows.decode(Int64?.self) { return id }
            return nil
        } catch { throw PostgresPool.translate(error) }
    }
}

extension PostgresConnection {
    /// Posts a transaction that must be new: `(kind, reference)` already posted is an error (a reused reference
    /// would otherwise post nothing while the caller goes on as if it had moved the credits).
    @discardableResult func postOnce(_ kind: String, reference: String, legs: [LedgerLeg], memo: String? = nil, logger: Logger) async throws -> Int64
    {
        guard let id = try await post(kind, reference: reference, legs: legs, memo: memo, logger: logger) else {
            throw CoreError.invalidState("ledger \(kind) \(reference) was already posted")
        }
        return id
    }
}

extension LedgerLeg {
    /// The legs moving `credits` from one account to another.
    static func move(_ credits: Int, from: (UUID?, LedgerAccountKind), to: (UUID?, LedgerAccountKind)) -> [LedgerLeg] {
        [LedgerLeg(owner: from.0, kind: from.1, amount: -Int64(credits)), LedgerLeg(owner: to.0, kind: to.1, amount: Int64(credits))]
    }
}

extension EscrowDecision {
    /// How settling `price` credits of `mentee`'s escrow this way posts; a release splits by `fees`.
    func settlement(of price: Int, mentee: UUID, mentor: UUID, fees: PlatformFeePolicy) -> EscrowSettlement {
        switch self {
        case .refund:
            EscrowSettlement(kind: "escrow_refund", state: "refunded", legs: LedgerLeg.move(price, from: (mentee, .escrow), to: (mentee, .available)))
        case .release:
            EscrowSettlement(
                kind: "escrow_release", state: "released", legs: LedgerLeg.release(price, of: mentee, to: mentor, split: fees.split(price)))
        }
    }
}

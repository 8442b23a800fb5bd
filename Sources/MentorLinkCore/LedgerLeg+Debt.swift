public import Foundation

extension LedgerLeg {
    /// The legs giving `credits` to `user` from a platform account when they owe `owed` credits (their debt
    /// account's balance negated): what they owe is paid first, the rest becomes available.
    public static func give(_ credits: Int, to user: UUID, from source: LedgerAccountKind, owed: Int64) -> [LedgerLeg] {
        let paid = min(Int64(credits), max(owed, 0))
        return [
            LedgerLeg(owner: nil, kind: source, amount: -Int64(credits)), LedgerLeg(owner: user, kind: .debt, amount: paid),
            LedgerLeg(owner: user, kind: .available, amount: Int64(credits) - paid),
        ]
    }

    /// The legs taking `credits` back from `user` into a platform account when `available` are available: from
    /// those, and what was already spent as a debt.
    public static func take(_ credits: Int, from user: UUID, to sink: LedgerAccountKind, available: Int64) -> [LedgerLeg] {
        let taken = min(Int64(credits), max(available, 0))
        return [
            LedgerLeg(owner: user, kind: .available, amount: -taken), LedgerLeg(owner: user, kind: .debt, amount: taken - Int64(credits)),
            LedgerLeg(owner: nil, kind: sink, amount: Int64(credits)),
        ]
    }

    /// The legs releasing `price` credits of `mentee`'s escrow to `mentor` by `split`: the mentor's share into their
    /// earnings, the fee into the platform's revenue.
    public static func release(_ price: Int, of mentee: UUID, to mentor: UUID, split: EscrowSplit) -> [LedgerLeg] {
        [
            LedgerLeg(owner: mentee, kind: .escrow, amount: -Int64(price)),
            LedgerLeg(owner: mentor, kind: .earnings, amount: Int64(split.mentorShare)),
            LedgerLeg(owner: nil, kind: .revenue, amount: Int64(split.fee)),
        ]
    }
}

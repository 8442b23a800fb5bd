public import Foundation
public import MentorLinkCore
import Synchronization

/// The one in-memory database behind ``InMemoryBookingStore``, ``InMemoryMentorDirectory``, ``InMemoryReviewStore``
/// and ``InMemoryPaymentsStore``, as PostgreSQL is behind the real stores: they share its users, bookings and ledger,
/// so escrow held by a booking is what a wallet shows and what a refund or payout may take.
///
/// Every call of a store runs under one lock on a copy of the tables that is committed only when the call succeeds:
/// the atomicity of a transaction (a refused booking leaves no escrow behind), not its isolation under real
/// concurrency, which the live-stack tests keep showing. The `outage` switch takes "PostgreSQL" away from all four.
public final class InMemoryMarketplace: Sendable {
    private let tables = Mutex(MarketplaceTables())
    /// The clock of rows' own timestamps (reviews, payments, audit entries).
    let now: @Sendable () -> Instant
    /// Takes PostgreSQL away.
    public let outage = Outage("postgres")

    /// An empty database on `now`'s time.
    public init(now: @escaping @Sendable () -> Instant = { .now }) { self.now = now }

    /// Runs `body` on a copy of the tables and commits it when `body` returns.
    func transaction<T: Sendable>(_ body: (inout MarketplaceTables) throws -> T) throws -> T {
        try outage.check()
        return try tables.withLock { tables throws -> T in
            var draft = tables
            let result = try body(&draft)
            tables = draft
            return result
        }
    }

    /// Reads the tables.
    func read<T: Sendable>(_ body: (MarketplaceTables) throws -> T) throws -> T {
        try outage.check()
        return try tables.withLock { tables throws -> T in try body(tables) }
    }

    /// Reads the tables whatever the outage switch says (what a test inspects).
    func peek<T: Sendable>(_ body: (MarketplaceTables) -> T) -> T { tables.withLock { body($0) } }

    // MARK: What a test sets up and inspects

    /// Adds a user with `roles` (the identity service's part, done directly as the live tests insert rows).
    @discardableResult public func addUser(id: UUID = UUID(), name: String = "Test User", roles: [Role]) -> UUID {
        tables.withLock { $0.users[id] = MarketplaceTables.UserRow(name: name, roles: roles) }
        return id
    }

    /// Disables (or enables) a user, or changes their roles, as `admin.disableUser`/`admin.setRole` do: a mentor who can
    /// no longer earn has their held escrow frozen; one who can again has it held again (the users trigger).
    public func updateUser(_ id: UUID, disabled: Bool? = nil, roles: [Role]? = nil) {
        tables.withLock { tables in
            guard var user = tables.users[id] else { return }
            if let disabled { user.disabled = disabled }
            if let roles { user.roles = roles }
            tables.users[id] = user
            for (bookingId, row) in tables.bookings where row.booking.mentorId == id {
                if user.canEarn, row.booking.escrowState == "frozen", row.booking.status == .confirmed {
                    tables.bookings[bookingId]?.booking.escrowState = "held"
                } else if !user.canEarn, row.booking.escrowState == "held" {
                    tables.bookings[bookingId]?.booking.escrowState = "frozen"
                }
            }
        }
    }

    /// Gives (or, negative, takes) a user's available credits as support's adjustment does.
    public func fund(_ user: UUID, _ credits: Int) throws {
        try transaction { tables in
            let legs = [
                LedgerLeg(owner: nil, kind: .adjustments, amount: -Int64(credits)), LedgerLeg(owner: user, kind: .available, amount: Int64(credits)),
            ]
            try tables.ledger.post("adjustment", reference: UUID().uuidString, legs: legs, memo: "test funding", at: now())
        }
    }

    /// A user's balances.
    public func wallet(_ user: UUID) -> Wallet { peek { $0.ledger.wallet(user) } }

    /// The outbox events written so far, by type, in order (`booking.created` …).
    public func events(_ type: String? = nil) -> [String] { peek { $0.outbox.map(\.type).filter { type == nil || $0 == type } } }

    /// The actions of the audit entries written so far, in order.
    public func auditActions() -> [String] { peek { $0.audit.records(AuditQuery(limit: .max)).map(\.action) } }

    /// Counts the booking rows `predicate` selects.
    public func countBookings(_ predicate: (Booking) -> Bool = { _ in true }) -> Int {
        peek { $0.bookings.values.filter { predicate($0.booking) }.count }
    }

    /// Pairs of active 1:1/group sessions of one mentor whose blocked ranges overlap (must always be 0).
    public func overlaps() -> Int {
        peek { tables in
            let active = tables.bookings.values.filter { MarketplaceTables.isActiveSession($0.booking) }
            var count = 0
            for a in active {
                for b in active where a.booking.id.uuidString < b.booking.id.uuidString && a.booking.mentorId == b.booking.mentorId {
                    if a.blockedFrom < b.blockedUntil && b.blockedFrom < a.blockedUntil { count += 1 }
                }
            }
            return count
        }
    }

    /// The ids of a payment's pending refunds, oldest first.
    public func pendingRefunds(paymentId: UUID) -> [UUID] {
        peek {
            $0.refunds.values.filter { $0.paymentId == paymentId && $0.status == "pending" }.sorted { $0.createdAt < $1.createdAt }.map(\.refundId)
        }
    }

    /// Changes an account's cached balance without a ledger entry (what `payments.reconcile` must find).
    public func corruptBalance(_ owner: UUID?, _ kind: LedgerAccountKind, by amount: Int64) {
        tables.withLock { $0.ledger.corrupt(owner, kind, by: amount) }
    }
}

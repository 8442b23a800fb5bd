/// A PostgreSQL SQLSTATE (the five-character error code in a server error's `sqlState` field), with names for the
/// codes the adapter acts on. Modelled on postgres-nio's `PostgresError.Code`; the list is in PostgreSQL's
/// "Appendix A. PostgreSQL Error Codes".
struct SQLState: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The five characters, e.g. `23505`.
    let rawValue: String

    init(_ rawValue: String) { self.rawValue = rawValue }

    init(stringLiteral value: String) { self.init(value) }

    var description: String { rawValue }

    /// The class: the first two characters (`23` for integrity constraint violations).
    var errorClass: Substring { rawValue.prefix(2) }

    // Class 08 — Connection Exception
    static let connectionException: SQLState = "08000"
    static let protocolViolation: SQLState = "08P01"

    // Class 22 — Data Exception
    static let dataException: SQLState = "22000"

    // Class 23 — Integrity Constraint Violation
    static let uniqueViolation: SQLState = "23505"
    static let checkViolation: SQLState = "23514"
    static let exclusionViolation: SQLState = "23P01"

    // Class 25 — Invalid Transaction State
    static let readOnlySQLTransaction: SQLState = "25006"

    // Class 40 — Transaction Rollback
    static let serializationFailure: SQLState = "40001"
    static let deadlockDetected: SQLState = "40P01"

    // Class 53 — Insufficient Resources
    static let tooManyConnections: SQLState = "53300"

    // Class 55 — Object Not In Prerequisite State
    static let lockNotAvailable: SQLState = "55P03"

    // Class 57 — Operator Intervention
    static let queryCanceled: SQLState = "57014"
    static let adminShutdown: SQLState = "57P01"
    static let crashShutdown: SQLState = "57P02"
    static let cannotConnectNow: SQLState = "57P03"

    /// Whether the code means PostgreSQL is away or too slow rather than that the statement was wrong: a connection
    /// exception (class 08) other than ``protocolViolation``, a shutdown or start-up (`57P*`), ``tooManyConnections``,
    /// ``readOnlySQLTransaction`` (a standby or a read-only server), or a statement or lock timeout
    /// (``queryCanceled``, ``lockNotAvailable``).
    var meansServerAway: Bool {
        (errorClass == Self.connectionException.errorClass && self != .protocolViolation) || rawValue.hasPrefix("57P")
            || [.tooManyConnections, .readOnlySQLTransaction, .queryCanceled, .lockNotAvailable].contains(self)
    }
}

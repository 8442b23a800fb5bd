/// The rules of payouts, applied by the payments store to the rows it has locked.
public enum PayoutRules {
    /// A mentor who owes credits (`debt`, the balance of their debt account: negative while they owe) is paid nothing
    /// until a top-up has repaid it: the platform would pay out money it has lost. A debt is never netted.
    public static func checkRequest(debt: Int64) throws { if debt < 0 { throw CoreError.inDebt(-debt) } }

    /// Only a requested payout is claimed for the one approval that calls the provider.
    public static func checkClaim(_ payout: Payout) throws {
        guard payout.status == "requested" else { throw CoreError.invalidState("the payout is \(payout.status)") }
    }

    /// A requested or processing payout is finished: paid after the transfer, or failed.
    public static func checkFinish(_ payout: Payout) throws {
        guard payout.status == "requested" || payout.status == "processing" else { throw CoreError.invalidState("the payout is \(payout.status)") }
    }
}

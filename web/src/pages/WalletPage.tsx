import { useSession } from "../app/context";
import { useLocation } from "../app/router";
import { ErrorMessage } from "../components/ErrorMessage";
import { BuyCredits } from "./wallet/BuyCredits";
import { returnedPayment } from "./wallet/checkout";
import { History } from "./wallet/History";
import { PaymentProgress } from "./wallet/PaymentProgress";
import { Payouts } from "./wallet/Payouts";
import { useWallet } from "./wallet/useWallet";

/**
 * The wallet: "Available credits", escrow, earnings (and what is owed), live; "Buy credits" through the provider's
 * page; back from it (`?payment=`), the payment's progress; for a mentor, "Payouts" (request one from the earnings,
 * and their status); the ledger history.
 */
export function WalletPage() {
    const wallet = useWallet();
    const session = useSession();
    const mentor = session.status === "signedIn" && session.user.roles.includes("mentor");
    const payment = returnedPayment(useLocation().search);
    const b = wallet.balances;
    return (
        <div className="wallet">
            <h1>Wallet</h1>
            {payment ? <PaymentProgress paymentId={payment} onSettled={wallet.reload} /> : null}
            {!b && !wallet.error ? <p role="status">Loading…</p> : null}
            <ErrorMessage error={wallet.error} />
            {b ? (
                <dl className="balances">
                    <div>
                        <dt id="available-label">Available credits</dt>
                        <dd aria-labelledby="available-label" role="status">
                            {b.available}
                        </dd>
                    </div>
                    <div>
                        <dt id="escrow-label">In escrow</dt>
                        <dd aria-labelledby="escrow-label">{b.escrow}</dd>
                    </div>
                    <div>
                        <dt id="earnings-label">Earnings</dt>
                        <dd aria-labelledby="earnings-label">{b.earnings}</dd>
                    </div>
                    {b.debt > 0 ? (
                        <div>
                            <dt id="debt-label">Owed</dt>
                            <dd aria-labelledby="debt-label">{b.debt}</dd>
                        </div>
                    ) : null}
                </dl>
            ) : null}
            <p className="hint">Credits for a booking wait in escrow until the session has taken place, then go to the mentor.</p>
            <BuyCredits />
            {mentor && b ? <Payouts earnings={b.earnings} onChanged={wallet.reload} /> : null}
            {wallet.history ? <History first={wallet.history} cursor={wallet.nextCursor} /> : null}
        </div>
    );
}

import { useServices } from "../app/context";
import { ErrorMessage } from "../components/ErrorMessage";
import { useCall } from "./useCall";

/** Balance, escrow and earnings. (Buying credits and the history come next.) */
export function WalletPage() {
    const { api } = useServices();
    const wallet = useCall(() => api.wallet.get({}), [api]);
    return (
        <div>
            <h1>Wallet</h1>
            {wallet.loading && !wallet.value ? <p role="status">Loading…</p> : null}
            <ErrorMessage error={wallet.error} />
            {wallet.value ? (
                <dl className="balances">
                    <div>
                        <dt id="available-label">Available credits</dt>
                        <dd aria-labelledby="available-label" role="status">
                            {wallet.value.available}
                        </dd>
                    </div>
                    <div>
                        <dt>In escrow</dt>
                        <dd>{wallet.value.escrow}</dd>
                    </div>
                    <div>
                        <dt>Earnings</dt>
                        <dd>{wallet.value.earnings}</dd>
                    </div>
                    {wallet.value.debt > 0 ? (
                        <div>
                            <dt>Owed</dt>
                            <dd>{wallet.value.debt}</dd>
                        </div>
                    ) : null}
                </dl>
            ) : null}
        </div>
    );
}

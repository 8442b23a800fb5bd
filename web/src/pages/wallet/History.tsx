import { useState } from "react";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatLocal } from "../../components/time";
import type { Entry } from "./useWallet";

/** Words for ledger entry kinds (anything else is shown as it comes). */
const KINDS: Record<string, string> = {
    topup: "Bought credits",
    escrow_hold: "Held for a booking",
    escrow_release: "Released to the mentor",
    escrow_refund: "Refunded from escrow",
    refund: "Refunded",
    payout: "Paid out",
    payout_request: "Payout requested",
    payout_failed: "Payout failed (returned)",
    refund_reversal: "Refund reversed",
    fee: "Platform fee",
    adjustment: "Adjustment",
};

/** What an entry's account is called. */
function accountName(account: Entry["account"]): string {
    return account === "available" ? "Available" : account === "escrow" ? "Escrow" : account === "earnings" ? "Earnings" : account === "debt" ? "Owed" : account;
}

/** The ledger, newest first, as a table, with "More history" on the cursor. */
export function History({ first, cursor: firstCursor }: { first: Entry[]; cursor?: string }) {
    const { api } = useServices();
    const [more, setMore] = useState<{ items: Entry[]; cursor?: string; error?: unknown }>({ items: [] });
    const rows = [...first, ...more.items.filter((e) => !first.some((f) => f.id === e.id))];
    const cursor = more.items.length ? more.cursor : firstCursor;
    const loadMore = async () => {
        try {
            const page = await api.wallet.history({ limit: 20, cursor });
            setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor }));
        } catch (error) {
            setMore((m) => ({ ...m, error }));
        }
    };
    return (
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">History</h2>
            {rows.length === 0 ? (
                <p>Nothing yet.</p>
            ) : (
                <table className="history">
                    <thead>
                        <tr>
                            <th scope="col">When</th>
                            <th scope="col">What</th>
                            <th scope="col">Account</th>
                            <th scope="col" className="num">
                                Credits
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.map((e) => (
                            <tr key={e.id}>
                                <td>
                                    <time dateTime={e.at}>{formatLocal(e.at)}</time>
                                </td>
                                <td title={e.memo}>{KINDS[e.kind] ?? e.kind}</td>
                                <td>{accountName(e.account)}</td>
                                <td className="num">{e.amount > 0 ? `+${e.amount}` : String(e.amount)}</td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
            <ErrorMessage error={more.error} />
            {cursor ? (
                <button type="button" onClick={loadMore}>
                    More history
                </button>
            ) : null}
        </section>
    );
}

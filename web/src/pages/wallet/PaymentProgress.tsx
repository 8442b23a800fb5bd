import { useEffect, useState } from "react";
import type { PaymentsGetResult } from "../../api";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";

/** How often, and how long, a returned payment is asked about while the provider's webhook has not landed. */
const POLL_MS = 1000;
const POLL_FOR_MS = 120_000;

/**
 * Back from the provider's page: the payment's state until its webhook lands ("Waiting for the payment…", then
 * "N credits added"); calls `onSettled` when it does. The notification push usually reloads the wallet first; this
 * asks `payments.get` as well, so a lost push does not leave the page waiting.
 */
export function PaymentProgress({ paymentId, onSettled }: { paymentId: string; onSettled: () => void }) {
    const { api } = useServices();
    const [payment, setPayment] = useState<PaymentsGetResult>();
    const [error, setError] = useState<unknown>();
    useEffect(() => {
        let live = true;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const until = Date.now() + POLL_FOR_MS;
        const ask = async () => {
            try {
                const p = await api.payments.get({ paymentId });
                if (!live) return;
                setPayment(p);
                if (p.status !== "created") {
                    onSettled();
                    return;
                }
            } catch (e) {
                if (live) setError(e);
            }
            if (live && Date.now() < until) timer = setTimeout(ask, POLL_MS);
        };
        void ask();
        return () => {
            live = false;
            clearTimeout(timer);
        };
    }, [api, paymentId, onSettled]);
    if (error && !payment) return <ErrorMessage error={error} />;
    if (!payment) return null;
    if (payment.status === "created") return <p role="status" className="notice">Waiting for the payment of {payment.credits} credits to arrive…</p>;
    if (payment.status === "failed") return <p role="alert" className="error">The payment failed; no credits were added.</p>;
    return (
        <p role="status" className="notice success">
            {payment.credits} credits added.
        </p>
    );
}

import type { PaymentsCreateTopUpResult } from "../../api";

/**
 * Where the provider's hosted payment page is. On a development stack it is `mentorlink dev-payments`' checkout page,
 * which nginx serves from the app's own origin at this path (so the page keeps to the app's CSP and its "Pay" form and
 * redirect stay same-origin); a production deployment would send the browser to the real provider's page instead.
 */
export const CHECKOUT_BASE = "/dev-payments/checkout/";

/** The checkout page of a created top-up, returning to the wallet with the payment's id (for its progress). */
export function checkoutUrl(payment: Pick<PaymentsCreateTopUpResult, "paymentId" | "providerRef">): string | undefined {
    if (!payment.providerRef) return undefined;
    const back = `/wallet?payment=${encodeURIComponent(payment.paymentId)}`;
    return `${CHECKOUT_BASE}${encodeURIComponent(payment.providerRef)}?return=${encodeURIComponent(back)}`;
}

/** The payment a wallet address names (`?payment=`), if any. */
export function returnedPayment(search: string): string | undefined {
    const id = new URLSearchParams(search).get("payment");
    return id && /^[0-9a-fA-F-]{36}$/.test(id) ? id : undefined;
}

/** A whole number of credits from the field, or why not (1 to `max`). */
export function parseCredits(text: string, max = 100_000): { credits?: number; problem?: string } {
    const value = Number(text.trim());
    if (!text.trim() || !Number.isInteger(value) || value < 1 || value > max) return { problem: `A whole number from 1 to ${max}` };
    return { credits: value };
}

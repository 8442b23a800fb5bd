import type { PayoutsListResult } from "../../api";
import { parseCredits } from "./checkout";

/** A payout as `payouts.list` answers it. */
export type Payout = PayoutsListResult["items"][number];

/** The most one `payouts.request` takes (PayoutsService.request). */
export const PAYOUT_MAX = 1_000_000;

/** The credits of a payout request, or the problem with the text: a whole number from 1 up to the earnings available. */
export function parsePayoutCredits(text: string, earnings: number): { credits?: number; problem?: string } {
    if (earnings < 1) return { problem: "You have no earnings to pay out yet." };
    const parsed = parseCredits(text, PAYOUT_MAX);
    if (parsed.credits === undefined) return { problem: `A whole number from 1 to ${Math.min(earnings, PAYOUT_MAX)}` };
    if (parsed.credits > earnings) return { problem: `At most your available earnings, ${earnings} credits.` };
    return parsed;
}

/** A payout's status in words (anything new is shown as it comes). */
export function payoutStatusText(status: string): string {
    switch (status) {
        case "requested":
            return "Requested: waiting for approval";
        case "processing":
            return "Processing";
        case "paid":
            return "Paid";
        case "failed":
            return "Failed: credits returned to your earnings";
        default:
            return status;
    }
}

/** The refusal of a `payouts.request`, in words the mentor can act on (`undefined`: show the server's own). */
export function payoutRefusal(reason: string, earnings: number): string | undefined {
    return reason === "insufficient_credits" ? `That is more than your available earnings (${earnings} credits). Request at most that.` : undefined;
}

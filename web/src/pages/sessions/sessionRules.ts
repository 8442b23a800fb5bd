import type { BookingListResult } from "../../api";

/** A booking as `booking.list` answers it. */
export type Booking = BookingListResult["items"][number];

/** The room opens this long before the start (the server's `rooms.join` window; RoomsConfiguration.joinEarly). */
export const JOIN_EARLY_MS = 10 * 60_000;
/** …and closes this long after the end (RoomsConfiguration.stayLate). */
export const STAY_LATE_MS = 30 * 60_000;

/** Whether the session's room is open at `now`: a confirmed booking, from 10 minutes before the start until 30 after the end. */
export function isJoinable(b: Booking, now: number): boolean {
    if (b.status !== "confirmed") return false;
    return now >= Date.parse(b.start) - JOIN_EARLY_MS && now < Date.parse(b.end) + STAY_LATE_MS;
}

/** Whether the caller may still cancel: a held or confirmed booking that has not started. */
export function isCancellable(b: Booking, now: number): boolean {
    return (b.status === "confirmed" || b.status === "held") && now < Date.parse(b.start);
}

/** Whether `userId` may review the session: its mentee (or seat holder), after a confirmed session ended. */
export function isReviewable(b: Booking, now: number, userId: string): boolean {
    return b.status === "confirmed" && b.kind !== "group" && b.menteeId === userId && now >= Date.parse(b.end);
}

/** Upcoming (start order; a session stays here while its room is open) and past (newest first) sessions. */
export function splitSessions(items: readonly Booking[], now: number): { upcoming: Booking[]; past: Booking[] } {
    const shown = items.filter((b) => b.status !== "expired" && !(b.status === "held" && Date.parse(b.holdExpiresAt ?? b.start) < now));
    const upcoming = shown.filter((b) => b.status !== "cancelled" && (Date.parse(b.end) > now || isJoinable(b, now)));
    const past = shown.filter((b) => !upcoming.includes(b)).sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
    return { upcoming: [...upcoming].sort((a, b) => Date.parse(a.start) - Date.parse(b.start)), past };
}

/** What a session is called in the list (`userId`: the viewer, who may be its mentor). */
export function sessionTitle(b: Booking, mentorName: string | undefined, userId: string): string {
    const who = b.mentorId === userId ? "a mentee" : (mentorName ?? "your mentor");
    if (b.kind === "one_on_one") return `1:1 session with ${who}`;
    return b.title ? `${b.title} (group session)` : `Group session with ${who}`;
}

/** The path of a session's room. */
export function roomPath(bookingId: string): string {
    return `/sessions/${encodeURIComponent(bookingId)}/room`;
}

/** The part of a cancellation policy that says what happens to the price. */
export interface PolicyOutcome {
    late: boolean;
    escrow: string;
}

/** One sentence on what cancelling now does with the price (`escrow`: where `booking.cancelPreview` says it would go). */
export function cancelOutcome(policy: PolicyOutcome, priceCredits: number): string {
    if (policy.escrow === "refunded") return `If you cancel now, the ${priceCredits} credits are refunded to you in full.`;
    if (policy.escrow === "released") return `This is a late cancellation: if you cancel now, the ${priceCredits} credits go to the mentor (no refund).`;
    if (priceCredits === 0) return policy.late ? "This is a late cancellation; the session is free, so nothing is charged." : "The session is free: nothing is charged.";
    return policy.late ? "This is a late cancellation." : "You can cancel now without a charge.";
}

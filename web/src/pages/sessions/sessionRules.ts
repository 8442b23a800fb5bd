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

/** The late-notice window when `booking.cancelPreview` cannot say (the server's default `lateCancellationHours`). */
export const DEFAULT_LATE_NOTICE_HOURS = 24;

/** The session's length in minutes (a new time must be a free slot of the same length). */
export function durationMinutes(b: Booking): number {
    return Math.round((Date.parse(b.end) - Date.parse(b.start)) / 60_000);
}

/** Whether a new time can be picked: a confirmed 1:1 session that has not started, with no proposal waiting for an answer. */
export function isReschedulable(b: Booking, now: number): boolean {
    return b.kind === "one_on_one" && b.status === "confirmed" && now < Date.parse(b.start) && !b.proposedStart;
}

/** A reschedule proposal waiting for an answer: its time, and whether `userId` made it (then the other side answers). */
export function pendingProposal(b: Booking, userId: string): { start: string; mine: boolean } | undefined {
    if (!b.proposedStart || b.status !== "confirmed") return undefined;
    return { start: b.proposedStart, mine: b.proposedBy === userId };
}

/** Who the other participant is, as the viewer `userId` reads it ("Ada Lovelace", or "the mentee" for the mentor). */
export function otherSide(b: Booking, mentorName: string | undefined, userId: string): string {
    return b.mentorId === userId ? "the mentee" : (mentorName ?? "your mentor");
}

/**
 * What `booking.reschedule` will do (BookingService.reschedule's policy): the mentee moves the session at once while
 * both its current and its new start are at least `lateNoticeHours` away; anything else (the mentor, or the mentee
 * inside that window) is a proposal the other participant accepts or declines.
 */
export function rescheduleMode(b: Booking, newStart: string, userId: string, now: number, lateNoticeHours: number): "moves" | "proposal" {
    const window = lateNoticeHours * 3_600_000;
    const outside = Date.parse(b.start) - now >= window && Date.parse(newStart) - now >= window;
    return b.menteeId === userId && outside ? "moves" : "proposal";
}

/** One sentence on what confirming does (`when`: the new time as shown, `other`: who would have to accept). */
export function rescheduleOutcome(mode: "moves" | "proposal", when: string, other: string): string {
    return mode === "moves"
        ? `If you confirm, the session moves to ${when} at once. The price stays the same.`
        : `If you confirm, ${other} is asked to accept ${when}; until then the session stays at its current time.`;
}

/** The reschedule policy in words (`lateNoticeHours`: the late-cancellation window). */
export function reschedulePolicy(lateNoticeHours: number): string {
    return (
        `The mentee can move a session alone while both the current and the new time are at least ${lateNoticeHours} hours away. ` +
        "Otherwise, and whenever the mentor moves it, the other participant accepts or declines the new time."
    );
}

import type { BookingCreateResult, BookingHoldResult, FormsGetResult } from "../../api";
import type { Slot } from "./slots";

/** A question of the mentor's agenda template. */
export type Question = FormsGetResult["questions"][number];

/** A slot this tab holds: until `expiresAt` (the viewer's clock, counted from when the answer came). */
export interface Hold {
    slot: Slot;
    holdId: string;
    minutes: number;
    priceCredits: number;
    expiresAt: number;
}

/**
 * Booking one slot, step by step: choose a slot (it is held), answer the agenda and press "Book", check the price and
 * press "Confirm booking". A hold that runs out, or a failed step, comes back to the grid or the step with a notice.
 */
export type BookingFlow =
    | { step: "idle"; notice?: string }
    | { step: "holding"; slot: Slot }
    | { step: "agenda"; hold: Hold; answers: Record<string, string>; error?: unknown }
    | { step: "confirm"; hold: Hold; answers: Record<string, string>; error?: unknown }
    | { step: "booking"; hold: Hold; answers: Record<string, string> }
    | { step: "booked"; booking: BookingCreateResult["booking"] };

/** What happens to the flow. */
export type FlowEvent =
    | { type: "choose"; slot: Slot }
    | { type: "held"; result: BookingHoldResult; minutes: number; priceCredits: number; receivedAt: number }
    | { type: "holdFailed"; notice: string }
    | { type: "answer"; id: string; value: string }
    | { type: "review" }
    | { type: "back" }
    | { type: "confirm" }
    | { type: "failed"; error: unknown }
    | { type: "booked"; result: BookingCreateResult }
    | { type: "expired" }
    | { type: "cancel" };

/**
 * The hold's length by the server's own clock (expiresAt − createdAt), laid onto the viewer's clock at `receivedAt`.
 * The price is the session type's (what booking.create charges; a hold carries none, nothing is in escrow yet).
 */
export function holdOf(result: BookingHoldResult, minutes: number, priceCredits: number, receivedAt: number): Hold {
    const length = Date.parse(result.expiresAt) - Date.parse(result.booking.createdAt);
    return {
        slot: { start: result.booking.start, end: result.booking.end },
        holdId: result.holdId,
        minutes,
        priceCredits,
        expiresAt: receivedAt + (Number.isFinite(length) && length > 0 ? length : 10 * 60_000),
    };
}

/** The required questions left empty (their ids). */
export function missingAnswers(questions: readonly Question[], answers: Record<string, string>): string[] {
    return questions.filter((q) => q.required && !(answers[q.id] ?? "").trim()).map((q) => q.id);
}

/** The answers to send: trimmed, empty ones left out (undefined when there are none). */
export function agendaToSend(answers: Record<string, string>): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const [id, value] of Object.entries(answers)) if (value.trim()) out[id] = value.trim();
    return Object.keys(out).length ? out : undefined;
}

/** The next state (pure). */
export function bookingFlow(state: BookingFlow, event: FlowEvent): BookingFlow {
    switch (event.type) {
        case "choose":
            return state.step === "idle" ? { step: "holding", slot: event.slot } : state;
        case "held":
            return state.step === "holding" ? { step: "agenda", hold: holdOf(event.result, event.minutes, event.priceCredits, event.receivedAt), answers: {} } : state;
        case "holdFailed":
            return state.step === "holding" ? { step: "idle", notice: event.notice } : state;
        case "answer":
            return state.step === "agenda" ? { ...state, answers: { ...state.answers, [event.id]: event.value }, error: undefined } : state;
        case "review":
            return state.step === "agenda" ? { step: "confirm", hold: state.hold, answers: state.answers } : state;
        case "back":
            return state.step === "confirm" ? { step: "agenda", hold: state.hold, answers: state.answers } : state;
        case "confirm":
            return state.step === "confirm" ? { step: "booking", hold: state.hold, answers: state.answers } : state;
        case "failed":
            return state.step === "booking" ? { step: "confirm", hold: state.hold, answers: state.answers, error: event.error } : state;
        case "booked":
            return state.step === "booking" ? { step: "booked", booking: event.result.booking } : state;
        case "expired":
            return state.step === "agenda" || state.step === "confirm"
                ? { step: "idle", notice: "Your hold on that time ran out, and it was released. Choose a time again." }
                : state;
        case "cancel":
            return state.step === "booking" ? state : { step: "idle" };
    }
}

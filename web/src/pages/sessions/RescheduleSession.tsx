import { useState } from "react";
import type { BookingRescheduleResult } from "../../api";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatLocal } from "../../components/time";
import { gridRange, type Slot } from "../profile/slots";
import { SlotPicker } from "./SlotPicker";
import { DEFAULT_LATE_NOTICE_HOURS, durationMinutes, rescheduleMode, rescheduleOutcome, reschedulePolicy, type Booking } from "./sessionRules";

/** What the mentor offers and the window that decides the policy. */
interface Offer {
    slots: Slot[];
    lateNoticeHours: number;
}

type Step =
    | { name: "idle" }
    | { name: "loading" }
    | ({ name: "picking" } & Offer)
    | ({ name: "confirm"; slot: Slot } & Offer)
    | ({ name: "sending"; slot: Slot } & Offer);

/**
 * "Reschedule": the mentor's free slots of the same length (`availability.slots`), then, for the time chosen, what
 * confirming does (at once, or a proposal the other side must accept) and the policy, then "Confirm reschedule"
 * (`booking.reschedule`) or "Keep current time". `onDone` hears the answer.
 */
export function RescheduleSession({ booking: b, userId, other, onDone }: {
    booking: Booking;
    userId: string;
    /** The other participant as the viewer names them. */
    other: string;
    onDone(result: BookingRescheduleResult): void;
}) {
    const { api } = useServices();
    const [step, setStep] = useState<Step>({ name: "idle" });
    const [error, setError] = useState<unknown>();

    const open = async () => {
        setStep({ name: "loading" });
        setError(undefined);
        try {
            const [slots, preview] = await Promise.all([
                api.availability.slots({ mentorId: b.mentorId, ...gridRange(Date.now()), minutes: durationMinutes(b), limit: 500 }),
                api.booking.cancelPreview({ bookingId: b.id }).catch(() => undefined),
            ]);
            const lateNoticeHours = preview?.policy.lateNoticeHours ?? DEFAULT_LATE_NOTICE_HOURS;
            setStep({ name: "picking", slots: slots.slots.filter((s) => s.start !== b.start), lateNoticeHours });
        } catch (e) {
            setError(e);
            setStep({ name: "idle" });
        }
    };
    const confirm = async () => {
        if (step.name !== "confirm") return;
        setStep({ ...step, name: "sending" });
        setError(undefined);
        try {
            onDone(await api.booking.reschedule({ bookingId: b.id, start: step.slot.start }));
        } catch (e) {
            setError(e);
            setStep({ ...step, name: "confirm" });
        }
    };

    if (step.name === "idle" || step.name === "loading") {
        return (
            <>
                <button type="button" onClick={open} disabled={step.name === "loading"}>
                    Reschedule
                </button>
                <ErrorMessage error={error} />
            </>
        );
    }
    const keep = (
        <button type="button" onClick={() => setStep({ name: "idle" })} disabled={step.name === "sending"}>
            Keep current time
        </button>
    );
    if (step.name === "picking") {
        return (
            <div className="reschedule" role="group" aria-label="Reschedule">
                <h4>Choose a new time</h4>
                <SlotPicker slots={step.slots} label="Free times" disabled={false} onChoose={(slot) => setStep({ ...step, name: "confirm", slot })} />
                <div className="actions">{keep}</div>
                <ErrorMessage error={error} />
            </div>
        );
    }
    const when = formatLocal(step.slot.start);
    const mode = rescheduleMode(b, step.slot.start, userId, Date.now(), step.lateNoticeHours);
    return (
        <div className="reschedule" role="group" aria-label="Reschedule policy">
            <p>
                New time: <time dateTime={step.slot.start}>{when}</time> (now <time dateTime={b.start}>{formatLocal(b.start)}</time>)
            </p>
            <p className="outcome">{rescheduleOutcome(mode, when, other)}</p>
            <p className="hint">{reschedulePolicy(step.lateNoticeHours)}</p>
            <div className="actions">
                <button type="button" className="primary" onClick={confirm} disabled={step.name === "sending"}>
                    Confirm reschedule
                </button>
                <button type="button" onClick={() => setStep({ name: "picking", slots: step.slots, lateNoticeHours: step.lateNoticeHours })} disabled={step.name === "sending"}>
                    Choose another time
                </button>
                {keep}
            </div>
            <ErrorMessage error={error} />
        </div>
    );
}

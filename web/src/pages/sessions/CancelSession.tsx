import { useState } from "react";
import type { BookingCancelPreviewResult } from "../../api";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatLocal } from "../../components/time";
import { cancelOutcome } from "./sessionRules";

type Policy = BookingCancelPreviewResult["policy"];

/**
 * "Cancel session": first the policy that would apply now (`booking.cancelPreview`: refund or release, late or not),
 * then "Confirm cancellation" (`booking.cancel`) or "Keep session". `onCancelled` hears the policy that applied.
 */
export function CancelSession({ bookingId, priceCredits, onCancelled }: { bookingId: string; priceCredits: number; onCancelled(policy: Policy): void }) {
    const { api } = useServices();
    const [step, setStep] = useState<"idle" | "loading" | "confirm" | "cancelling">("idle");
    const [policy, setPolicy] = useState<Policy>();
    const [error, setError] = useState<unknown>();

    const preview = async () => {
        setStep("loading");
        setError(undefined);
        try {
            setPolicy((await api.booking.cancelPreview({ bookingId })).policy);
            setStep("confirm");
        } catch (e) {
            setError(e);
            setStep("idle");
        }
    };
    const confirm = async () => {
        setStep("cancelling");
        setError(undefined);
        try {
            onCancelled((await api.booking.cancel({ bookingId })).policy);
        } catch (e) {
            setError(e);
            setStep("confirm");
        }
    };

    if (step === "idle" || step === "loading") {
        return (
            <>
                <button type="button" onClick={preview} disabled={step === "loading"}>
                    Cancel session
                </button>
                <ErrorMessage error={error} />
            </>
        );
    }
    return (
        <div className="cancel-policy" role="group" aria-label="Cancellation policy">
            {policy ? (
                <>
                    <p className={policy.late ? "error" : "outcome"}>{cancelOutcome(policy, priceCredits)}</p>
                    <p>{policy.summary}</p>
                    <p className="hint">
                        Cancellable until {formatLocal(policy.cancellableUntil)}; late within {policy.lateNoticeHours} h of the start.
                    </p>
                </>
            ) : null}
            <div className="actions">
                <button type="button" className="danger" onClick={confirm} disabled={step === "cancelling"}>
                    Confirm cancellation
                </button>
                <button type="button" onClick={() => setStep("idle")} disabled={step === "cancelling"}>
                    Keep session
                </button>
            </div>
            <ErrorMessage error={error} />
        </div>
    );
}

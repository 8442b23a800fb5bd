import { useEffect, useState } from "react";
import { formatRemaining } from "../pages/profile/slots";

/** A visible m:ss countdown to `until` (the viewer's clock); calls `onDone` once when it reaches zero. */
export function Countdown({ until, label, onDone }: { until: number; label: string; onDone: () => void }) {
    const [now, setNow] = useState(() => Date.now());
    const left = until - now;
    useEffect(() => {
        if (left <= 0) {
            onDone();
            return;
        }
        const timer = setTimeout(() => setNow(Date.now()), Math.min(1000, left));
        return () => clearTimeout(timer);
    }, [left, onDone]);
    return (
        <p className="countdown">
            {label} <span role="timer" aria-label={`${label} ${formatRemaining(left)}`}>{formatRemaining(left)}</span>
        </p>
    );
}

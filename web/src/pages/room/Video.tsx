import { useEffect, useRef, useState } from "react";

/**
 * A `video` element showing `stream` (set as `srcObject`: camera streams are not URLs, so the CSP does not apply).
 * A remote video that the browser will not play with sound before the user has interacted with the page plays muted,
 * with a "Turn on sound" button.
 */
export function Video({ stream, label, self = false, caption, userId, speaking = false }: {
    stream?: MediaStream;
    label: string;
    self?: boolean;
    caption?: string;
    /** Whose camera (`data-user`). */
    userId?: string;
    /** The active speaker's tile is outlined (`data-speaking`). */
    speaking?: boolean;
}) {
    const ref = useRef<HTMLVideoElement>(null);
    const [silenced, setSilenced] = useState(false);
    useEffect(() => {
        const video = ref.current;
        if (!video) return;
        if (video.srcObject !== (stream ?? null)) video.srcObject = stream ?? null;
        if (!stream) return;
        video.play().catch(() => {
            if (self || video.muted) return;
            video.muted = true;
            setSilenced(true);
            video.play().catch(() => undefined);
        });
    }, [stream, self, stream?.getTracks().length]);
    const unmute = () => {
        const video = ref.current;
        if (!video) return;
        video.muted = false;
        video.play().then(() => setSilenced(false), () => undefined);
    };
    return (
        <figure className={self ? "tile tile-self" : "tile"} data-user={userId} data-speaking={speaking ? "true" : undefined}>
            <video ref={ref} aria-label={label} autoPlay playsInline muted={self} />
            <figcaption>
                {label}
                {speaking ? <span className="tile-speaking"> · speaking</span> : null}
                {caption ? <span className="tile-state"> · {caption}</span> : null}
                {silenced ? (
                    <button type="button" onClick={unmute}>
                        Turn on sound
                    </button>
                ) : null}
            </figcaption>
        </figure>
    );
}

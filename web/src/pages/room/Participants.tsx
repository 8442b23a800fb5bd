import { useState } from "react";
import { ErrorMessage } from "../../components/ErrorMessage";
import type { Participant } from "./roomState";

/** Who is in the session and who is online; the group's mentor gets "Mute" and "Remove" per participant. */
export function Participants({ participants, selfId, nameOf, moderate }: {
    participants: Participant[];
    selfId: string;
    nameOf(userId: string): string;
    moderate?: (action: "mute" | "remove", userId: string) => Promise<void>;
}) {
    const [error, setError] = useState<unknown>();
    const act = (action: "mute" | "remove", userId: string) => {
        setError(undefined);
        moderate?.(action, userId).catch(setError);
    };
    return (
        <section className="participants" aria-label="Participants">
            <h2>Participants</h2>
            <ul>
                {participants.map((p) => {
                    const name = nameOf(p.userId);
                    const status = p.removed ? "removed" : p.online ? "online" : "offline";
                    return (
                        <li key={p.userId} data-user={p.userId} data-online={p.online}>
                            <span className={`presence presence-${status}`} aria-hidden="true" />
                            <span>
                                {name} ({p.role}) — <span className="presence-text">{status}</span>
                                {p.muted ? " · muted" : ""}
                            </span>
                            {moderate && p.userId !== selfId && !p.removed ? (
                                <span className="moderate">
                                    <button type="button" disabled={p.muted} onClick={() => act("mute", p.userId)} aria-label={`Mute ${name}`}>
                                        Mute
                                    </button>
                                    <button type="button" className="danger" onClick={() => act("remove", p.userId)} aria-label={`Remove ${name}`}>
                                        Remove
                                    </button>
                                </span>
                            ) : null}
                        </li>
                    );
                })}
            </ul>
            <ErrorMessage error={error} />
        </section>
    );
}

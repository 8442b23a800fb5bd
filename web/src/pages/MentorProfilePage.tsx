import { useReducer, useState } from "react";
import type { MentorsGetResult } from "../api";
import { useServices, useSession } from "../app/context";
import { navigate, signInPath } from "../app/router";
import { ErrorMessage, errorText } from "../components/ErrorMessage";
import { BookingPanel, priceText } from "./profile/BookingPanel";
import { bookingFlow } from "./profile/bookingFlow";
import { GroupSessions } from "./profile/GroupSessions";
import { Reviews } from "./profile/Reviews";
import { SlotGrid } from "./profile/SlotGrid";
import type { Slot } from "./profile/slots";
import { useLiveSlots } from "./profile/useLiveSlots";
import { useCall } from "./useCall";

type Mentor = MentorsGetResult["mentor"];

/** Length of the grid's slots when a mentor lists no 1:1 session type (what search assumes too). */
const DEFAULT_MINUTES = 60;

/**
 * A mentor's profile: bio, skills, rating and reviews, the live grid of free times in the viewer's zone (choosing one
 * holds it, then the agenda, then the price and "Confirm booking"), and group sessions with seats left.
 */
export function MentorProfilePage({ mentorId }: { mentorId: string }) {
    const { api } = useServices();
    const profile = useCall(() => api.mentors.get({ mentorId }), [api, mentorId]);
    if (profile.loading && !profile.value) return <p role="status">Loading…</p>;
    if (profile.error || !profile.value) return <ErrorMessage error={profile.error ?? new Error("not found")} />;
    return <Profile mentor={profile.value.mentor} />;
}

function Profile({ mentor: m }: { mentor: Mentor }) {
    const { api } = useServices();
    const session = useSession();
    const types = m.sessionTypes.filter((t) => t.kind === "one_on_one");
    const [minutes, setMinutes] = useState(types[0]?.minutes ?? DEFAULT_MINUTES);
    const slots = useLiveSlots(m.id, minutes);
    const form = useCall(() => api.forms.get({ mentorId: m.id }), [api, m.id]);
    const [flow, dispatch] = useReducer(bookingFlow, { step: "idle" });
    const own = session.status === "signedIn" && session.user.id === m.id;

    const choose = async (slot: Slot) => {
        if (session.status !== "signedIn") {
            navigate(signInPath(`/mentors/${encodeURIComponent(m.id)}`));
            return;
        }
        dispatch({ type: "choose", slot });
        try {
            const result = await api.booking.hold({ mentorId: m.id, start: slot.start, minutes });
            const priceCredits = types.find((t) => t.minutes === minutes)?.priceCredits ?? 0;
            dispatch({ type: "held", result, minutes, priceCredits, receivedAt: Date.now() });
        } catch (error) {
            dispatch({ type: "holdFailed", notice: errorText(error) });
            slots.reload();
        }
    };
    const busy = flow.step !== "idle" && flow.step !== "booked";

    return (
        <article className="profile" aria-labelledby="profile-name">
            <h1 id="profile-name">{m.name}</h1>
            <p className="headline">{m.headline}</p>
            <dl className="facts">
                <div>
                    <dt>Rating</dt>
                    <dd>{m.reviewCount > 0 && m.rating !== undefined ? `${m.rating.toFixed(1)} from ${m.reviewCount} reviews` : "No reviews yet"}</dd>
                </div>
                <div>
                    <dt>Experience</dt>
                    <dd>{m.yearsExperience} years</dd>
                </div>
                <div>
                    <dt>Languages</dt>
                    <dd>{m.languages.join(", ") || "—"}</dd>
                </div>
                <div>
                    <dt>Mentor's time zone</dt>
                    <dd>{m.timeZone}</dd>
                </div>
            </dl>
            <div className="profile-layout">
                <div>
                    <section aria-labelledby="about">
                        <h2 id="about">About</h2>
                        <p className="bio">{m.bio}</p>
                    </section>
                    <section aria-labelledby="skills">
                        <h2 id="skills">Skills and topics</h2>
                        <ul className="chips">
                            {[...m.skills, ...m.topics].map((s) => (
                                <li key={s}>{s}</li>
                            ))}
                        </ul>
                    </section>
                    <section aria-labelledby="sessions">
                        <h2 id="sessions">Sessions</h2>
                        <ul>
                            {m.sessionTypes.map((t) => (
                                <li key={`${t.kind}-${t.minutes}`}>
                                    {t.kind === "one_on_one" ? "1:1" : "Group"}, {t.minutes} minutes: {priceText(t.priceCredits)}
                                </li>
                            ))}
                        </ul>
                    </section>
                    <Reviews mentorId={m.id} />
                </div>
                <div className="booking-column">
                    {types.length > 1 ? (
                        <fieldset className="choice">
                            <legend>Length</legend>
                            {types.map((t) => (
                                <label key={t.minutes}>
                                    <input type="radio" name="minutes" checked={minutes === t.minutes} disabled={busy} onChange={() => setMinutes(t.minutes)} />
                                    {t.minutes} minutes, {priceText(t.priceCredits)}
                                </label>
                            ))}
                        </fieldset>
                    ) : null}
                    <BookingPanel mentorId={m.id} flow={flow} dispatch={dispatch} questions={form.value?.questions ?? []} />
                    <ErrorMessage error={slots.error} />
                    {own ? <p className="hint">This is your own profile: others book these times.</p> : null}
                    <SlotGrid slots={slots.slots} live={slots.live} disabled={busy || own} onChoose={choose} />
                    <GroupSessions mentorId={m.id} version={slots.version} />
                </div>
            </div>
        </article>
    );
}

import { useServices } from "../app/context";
import { ErrorMessage } from "../components/ErrorMessage";
import { useCall } from "./useCall";

/** A mentor's public profile: bio, skills, rating, session types and prices. (The live slot grid comes next.) */
export function MentorProfilePage({ mentorId }: { mentorId: string }) {
    const { api } = useServices();
    const profile = useCall(() => api.mentors.get({ mentorId }), [api, mentorId]);
    if (profile.loading && !profile.value) return <p role="status">Loading…</p>;
    if (profile.error || !profile.value) return <ErrorMessage error={profile.error ?? new Error("not found")} />;
    const m = profile.value.mentor;
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
                            {t.kind === "one_on_one" ? "1:1" : "Group"}, {t.minutes} minutes: {t.priceCredits === 0 ? "free" : `${t.priceCredits} credits`}
                        </li>
                    ))}
                </ul>
            </section>
        </article>
    );
}

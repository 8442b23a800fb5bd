import { useEffect, useState, type FormEvent } from "react";
import { useServices } from "../../app/context";
import { Link } from "../../app/router";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { viewerTimeZone } from "../../components/time";
import { RpcError } from "../../rpc/RpcError";
import { SaveBar, TextAreaField } from "./Controls";
import { SessionTypeRows } from "./SessionTypeRows";
import { profileDraft, profileParams, type ProfileDraft } from "./profileDraft";
import { TimeZoneField } from "./TimeZoneField";
import { useSave } from "./useSave";

const INLINE = /^(headline|bio|skills|topics|tags|languages|yearsExperience|timeZone|sessionTypes\[\d+\]\.(kind|minutes|priceCredits))$/;
const LIST_HINT = "Separate with commas.";

/** "Profile": what search and the public profile show (`mentors.get`), saved whole with "Save profile" (`mentors.updateProfile`). */
export function ProfileSection({ mentorId }: { mentorId: string }) {
    const { api } = useServices();
    const [draft, setDraft] = useState<ProfileDraft>();
    const [exists, setExists] = useState(false);
    const [loadError, setLoadError] = useState<unknown>();
    const save = useSave();
    const problems = save.state.problems;

    useEffect(() => {
        let live = true;
        api.mentors.get({ mentorId }).then(
            (r) => {
                if (!live) return;
                setDraft(profileDraft(r.mentor, viewerTimeZone()));
                setExists(true);
            },
            (e) => {
                if (!live) return;
                // A mentor who never saved a profile has none yet: start from a blank form.
                if (e instanceof RpcError && e.reason === "not_found") setDraft(profileDraft(undefined, viewerTimeZone()));
                else setLoadError(e);
            },
        );
        return () => {
            live = false;
        };
    }, [api, mentorId]);

    const set = (patch: Partial<ProfileDraft>) => setDraft((d) => (d ? { ...d, ...patch } : d));
    const submit = async (event: FormEvent) => {
        event.preventDefault();
        if (!draft) return;
        const saved = await save.run(profileParams(draft), async (params) => {
            await api.mentors.updateProfile(params);
            return "Profile saved.";
        });
        if (saved) setExists(true);
    };

    return (
        <section aria-label="Profile" className="dash-section">
            <h2>Profile</h2>
            {exists ? (
                <p className="hint">
                    Mentees see it on <Link to={`/mentors/${encodeURIComponent(mentorId)}`}>your public profile</Link>.
                </p>
            ) : (
                <p className="hint">You have no profile yet: mentees find you once you save one.</p>
            )}
            <ErrorMessage error={loadError} />
            {!draft && !loadError ? <p role="status">Loading…</p> : null}
            {draft ? (
                <form onSubmit={submit} noValidate className="dash-form">
                    <div className="dash-grid">
                        <Field label="Headline" value={draft.headline} maxLength={200} onChange={(e) => set({ headline: e.target.value })} problem={problems.headline} />
                        <Field label="Years of experience" inputMode="numeric" value={draft.years} onChange={(e) => set({ years: e.target.value })} problem={problems.yearsExperience} />
                        <TimeZoneField value={draft.timeZone} onChange={(timeZone) => set({ timeZone })} problem={problems.timeZone} />
                    </div>
                    <TextAreaField label="Bio" rows={4} maxLength={5000} value={draft.bio} onChange={(e) => set({ bio: e.target.value })} problem={problems.bio} />
                    <div className="dash-grid">
                        <Field label="Skills" hint={LIST_HINT} value={draft.skills} onChange={(e) => set({ skills: e.target.value })} problem={problems.skills} />
                        <Field label="Topics" hint={LIST_HINT} value={draft.topics} onChange={(e) => set({ topics: e.target.value })} problem={problems.topics} />
                        <Field label="Tags" hint={LIST_HINT} value={draft.tags} onChange={(e) => set({ tags: e.target.value })} problem={problems.tags} />
                        <Field label="Languages" hint={LIST_HINT} value={draft.languages} onChange={(e) => set({ languages: e.target.value })} problem={problems.languages} />
                    </div>
                    <SessionTypeRows rows={draft.sessionTypes} onChange={(sessionTypes) => set({ sessionTypes })} problems={problems} />
                    <SaveBar label="Save profile" state={save.state} inline={(f) => INLINE.test(f)} />
                </form>
            ) : null}
        </section>
    );
}

import type { MentorsGetResult, MentorsUpdateProfileParams } from "../../api";
import { joinList, nextRowKey, parseList, ProblemList, type Checked } from "./fields";

/** A kind of session a mentor offers (the server takes 1:1 and group; a group seat is what a mentee books). */
export type SessionKind = MentorsUpdateProfileParams["sessionTypes"][number]["kind"];

/** The kinds offered in the form, with their names. */
export const SESSION_KINDS: readonly { kind: SessionKind; label: string }[] = [
    { kind: "one_on_one", label: "1:1 session" },
    { kind: "group", label: "Group session" },
];

/** One editable session type row. */
export interface SessionTypeDraft {
    key: number;
    kind: SessionKind;
    minutes: string;
    price: string;
}

/** The profile form as typed. */
export interface ProfileDraft {
    headline: string;
    bio: string;
    skills: string;
    topics: string;
    tags: string;
    languages: string;
    years: string;
    timeZone: string;
    sessionTypes: SessionTypeDraft[];
}

/** A new session type row: 30 minutes of 1:1, free. */
export function newSessionType(kind: SessionKind = "one_on_one"): SessionTypeDraft {
    return { key: nextRowKey(), kind, minutes: "30", price: "0" };
}

/** The form for a saved profile, or a blank one (with one 1:1 type, in `zone`) for a mentor who has none yet. */
export function profileDraft(mentor: MentorsGetResult["mentor"] | undefined, zone: string): ProfileDraft {
    if (!mentor) {
        return { headline: "", bio: "", skills: "", topics: "", tags: "", languages: "", years: "0", timeZone: zone, sessionTypes: [newSessionType()] };
    }
    return {
        headline: mentor.headline,
        bio: mentor.bio,
        skills: joinList(mentor.skills),
        topics: joinList(mentor.topics),
        tags: joinList(mentor.tags),
        languages: joinList(mentor.languages),
        years: String(mentor.yearsExperience),
        timeZone: mentor.timeZone,
        sessionTypes: mentor.sessionTypes.map((t) => ({ key: nextRowKey(), kind: t.kind, minutes: String(t.minutes), price: String(t.priceCredits) })),
    };
}

/** `mentors.updateProfile`'s params (every field) from the form, or what is wrong with the numbers. */
export function profileParams(draft: ProfileDraft): Checked<MentorsUpdateProfileParams> {
    const check = new ProblemList();
    const yearsExperience = check.whole(draft.years, "yearsExperience");
    const sessionTypes = draft.sessionTypes.map((t, i) => ({
        kind: t.kind,
        minutes: check.whole(t.minutes, `sessionTypes[${i}].minutes`),
        priceCredits: check.whole(t.price, `sessionTypes[${i}].priceCredits`),
    }));
    check.expect(draft.timeZone.trim() !== "", "timeZone", "required");
    return check.result({
        headline: draft.headline.trim(),
        bio: draft.bio.trim(),
        skills: parseList(draft.skills),
        topics: parseList(draft.topics),
        tags: parseList(draft.tags),
        yearsExperience,
        languages: parseList(draft.languages),
        timeZone: draft.timeZone.trim(),
        sessionTypes,
    });
}

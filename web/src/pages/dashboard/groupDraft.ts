import type { SessionsCreateGroupParams, SessionsListGroupsResult } from "../../api";
import { ProblemList, type Checked } from "./fields";
import { localInputToUtc } from "./schedule";

/** A group session as `sessions.listGroups` answers it. */
export type GroupSession = SessionsListGroupsResult["items"][number];

/** The "create a group session" form as typed; `start` is a `datetime-local` value in the viewer's zone. */
export interface GroupDraft {
    title: string;
    topic: string;
    start: string;
    minutes: string;
    capacity: string;
    price: string;
}

/** `sessions.createGroup`'s params from the form (the start converted to UTC), or what is wrong. */
export function groupParams(draft: GroupDraft, now: number): Checked<SessionsCreateGroupParams> {
    const check = new ProblemList();
    const start = localInputToUtc(draft.start);
    check.expect(start !== undefined, "start", "a date and time");
    if (start) check.expect(Date.parse(start) > now, "start", "in the future");
    check.expect(draft.title.trim() !== "", "title", "required");
    return check.result({
        title: draft.title.trim(),
        topic: draft.topic.trim(),
        start: start ?? "",
        minutes: check.whole(draft.minutes, "minutes"),
        capacity: check.whole(draft.capacity, "capacity"),
        priceCredits: check.whole(draft.price, "priceCredits"),
    });
}

/** Seats taken and left, e.g. "2 of 10 seats taken, 8 left" ("full" when none is left). */
export function seatsText(group: Pick<GroupSession, "capacity" | "seatsTaken">): string {
    const capacity = group.capacity ?? 0;
    const taken = group.seatsTaken ?? 0;
    const left = Math.max(0, capacity - taken);
    return `${taken} of ${capacity} seats taken, ${left === 0 ? "full" : `${left} left`}`;
}

/** The sessions still to come (not cancelled, not started), soonest first. */
export function upcomingGroups(items: readonly GroupSession[], now: number): GroupSession[] {
    return items.filter((g) => g.status !== "cancelled" && Date.parse(g.start) > now).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

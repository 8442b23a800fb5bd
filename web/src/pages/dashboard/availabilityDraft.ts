import type { AvailabilityGetResult, AvailabilitySetParams } from "../../api";
import { nextRowKey, ProblemList, type Checked } from "./fields";

/** A day of the week as the API spells it. */
export type Weekday = AvailabilitySetParams["weekly"][number]["day"];

/** The days in order, with their names. */
export const WEEKDAYS: readonly { day: Weekday; label: string }[] = [
    { day: "mon", label: "Monday" },
    { day: "tue", label: "Tuesday" },
    { day: "wed", label: "Wednesday" },
    { day: "thu", label: "Thursday" },
    { day: "fri", label: "Friday" },
    { day: "sat", label: "Saturday" },
    { day: "sun", label: "Sunday" },
];

/** One weekly window as typed (`HH:MM` from time inputs). */
export interface WeeklyDraft {
    key: number;
    day: Weekday;
    start: string;
    end: string;
}

/** One date override as typed: unavailable all day, or open `start`–`end` instead of the weekly hours. */
export interface OverrideDraft {
    key: number;
    date: string;
    unavailable: boolean;
    start: string;
    end: string;
}

/** The availability form as typed (the numbers are text; blank means the server's default). */
export interface AvailabilityDraft {
    timeZone: string;
    weekly: WeeklyDraft[];
    overrides: OverrideDraft[];
    bufferBefore: string;
    bufferAfter: string;
    minNotice: string;
    horizon: string;
    maxPerDay: string;
}

type Rules = NonNullable<AvailabilityGetResult["availability"]>;

/** A time input cannot hold 24:00: an end of midnight is shown as 00:00 (and sent back as 24:00). */
export function endToInput(end: string): string {
    return end === "24:00" ? "00:00" : end;
}

/** An end as the API takes it: 00:00 (midnight) is the end of the day, 24:00. */
export function endFromInput(end: string): string {
    return end === "00:00" ? "24:00" : end;
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A new weekly window: the day after the last one's with its hours (Monday 09:00–17:00 first). */
export function newWeekly(rows: readonly WeeklyDraft[]): WeeklyDraft {
    const last = rows[rows.length - 1];
    if (!last) return { key: nextRowKey(), day: "mon", start: "09:00", end: "17:00" };
    const next = WEEKDAYS[(WEEKDAYS.findIndex((d) => d.day === last.day) + 1) % WEEKDAYS.length].day;
    return { key: nextRowKey(), day: next, start: last.start, end: last.end };
}

/** A new override on `date` (`YYYY-MM-DD`), unavailable all day. */
export function newOverride(date: string): OverrideDraft {
    return { key: nextRowKey(), date, unavailable: true, start: "09:00", end: "17:00" };
}

/** The form for saved rules, or an empty one in `zone`. */
export function availabilityDraft(rules: Rules | undefined, zone: string): AvailabilityDraft {
    const text = (n: number | undefined) => (n === undefined ? "" : String(n));
    return {
        timeZone: rules?.timeZone ?? zone,
        weekly: (rules?.weekly ?? []).map((w) => ({ key: nextRowKey(), day: w.day, start: w.start, end: endToInput(w.end) })),
        overrides: (rules?.overrides ?? []).map((o) => ({
            key: nextRowKey(),
            date: o.date,
            unavailable: o.unavailable === true,
            start: o.start ?? "09:00",
            end: o.end ? endToInput(o.end) : "17:00",
        })),
        bufferBefore: text(rules?.bufferBeforeMinutes),
        bufferAfter: text(rules?.bufferAfterMinutes),
        minNotice: text(rules?.minNoticeMinutes),
        horizon: text(rules?.horizonDays),
        maxPerDay: text(rules?.maxPerDay),
    };
}

/** `availability.set`'s params from the form, or what is wrong (times as HH:MM, dates as YYYY-MM-DD, numbers whole). */
export function availabilityParams(draft: AvailabilityDraft): Checked<AvailabilitySetParams> {
    const check = new ProblemList();
    const clock = (value: string, field: string) => check.expect(CLOCK.test(value), field, "a time HH:MM");
    const weekly = draft.weekly.map((w, i) => {
        clock(w.start, `weekly[${i}].start`);
        clock(w.end, `weekly[${i}].end`);
        return { day: w.day, start: w.start, end: endFromInput(w.end) };
    });
    const overrides = draft.overrides.map((o, i) => {
        check.expect(/^\d{4}-\d\d-\d\d$/.test(o.date), `overrides[${i}].date`, "a date");
        if (o.unavailable) return { date: o.date, unavailable: true };
        clock(o.start, `overrides[${i}].start`);
        clock(o.end, `overrides[${i}].end`);
        return { date: o.date, start: o.start, end: endFromInput(o.end) };
    });
    check.expect(draft.timeZone.trim() !== "", "timeZone", "required");
    return check.result({
        timeZone: draft.timeZone.trim(),
        weekly,
        overrides,
        bufferBeforeMinutes: check.optionalWhole(draft.bufferBefore, "bufferBeforeMinutes"),
        bufferAfterMinutes: check.optionalWhole(draft.bufferAfter, "bufferAfterMinutes"),
        minNoticeMinutes: check.optionalWhole(draft.minNotice, "minNoticeMinutes"),
        horizonDays: check.optionalWhole(draft.horizon, "horizonDays"),
        maxPerDay: check.optionalWhole(draft.maxPerDay, "maxPerDay"),
    });
}

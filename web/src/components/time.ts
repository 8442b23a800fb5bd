/** An instant in the viewer's time zone and locale, e.g. "Mon, 3 May, 10:30". */
export function formatLocal(instant: string, options: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }): string {
    const date = new Date(instant);
    return Number.isNaN(date.getTime()) ? instant : date.toLocaleString(undefined, options);
}

/** The viewer's IANA time zone (shown beside times). */
export function viewerTimeZone(): string {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

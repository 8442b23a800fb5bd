/** What a form's text turned into: the params to send, or the problems by field path (the server's paths). */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Problems };

/** Field problems by path (`headline`, `sessionTypes[0].minutes`), as `invalid_params` names them. */
export type Problems = Record<string, string>;

let lastRowKey = 0;

/** A key for a new editable row (stable across reorders, unique in the tab). */
export function nextRowKey(): number {
    lastRowKey += 1;
    return lastRowKey;
}

/** A comma-separated list: trimmed, blanks dropped, duplicates (ignoring case) dropped. */
export function parseList(text: string): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const part of text.split(",")) {
        const item = part.trim();
        if (item && !seen.has(item.toLowerCase())) {
            seen.add(item.toLowerCase());
            out.push(item);
        }
    }
    return out;
}

/** A list as its text field shows it. */
export function joinList(items: readonly string[]): string {
    return items.join(", ");
}

/** A whole number from a field (digits only, after trimming); `undefined` for anything else, blank included. */
export function wholeNumber(text: string): number | undefined {
    const t = text.trim();
    return /^\d{1,9}$/.test(t) ? Number(t) : undefined;
}

/** Collects problems while reading a form. */
export class ProblemList {
    readonly problems: Problems = {};

    /** A required whole number: its value, or a problem at `field`. */
    whole(text: string, field: string): number {
        const n = wholeNumber(text);
        if (n === undefined) this.problems[field] = "a whole number";
        return n ?? 0;
    }

    /** An optional whole number: `undefined` when blank, else as `whole`. */
    optionalWhole(text: string, field: string): number | undefined {
        return text.trim() === "" ? undefined : this.whole(text, field);
    }

    /** Adds `problem` at `field` unless `ok`. */
    expect(ok: boolean, field: string, problem: string): void {
        if (!ok) this.problems[field] = problem;
    }

    /** The value when nothing was wrong, else the problems. */
    result<T>(value: T): Checked<T> {
        return Object.keys(this.problems).length === 0 ? { ok: true, value } : { ok: false, problems: this.problems };
    }
}

/** `items` with the one at `index` moved by `delta` places (unchanged when that would leave the list). */
export function moveItem<T>(items: readonly T[], index: number, delta: number): T[] {
    const to = index + delta;
    if (index < 0 || index >= items.length || to < 0 || to >= items.length) return [...items];
    const out = [...items];
    const [item] = out.splice(index, 1);
    out.splice(to, 0, item);
    return out;
}

/** `items` without the one at `index`. */
export function removeItem<T>(items: readonly T[], index: number): T[] {
    return items.filter((_, i) => i !== index);
}

/** `items` with the one at `index` changed by `patch`. */
export function updateItem<T>(items: readonly T[], index: number, patch: Partial<T>): T[] {
    return items.map((item, i) => (i === index ? { ...item, ...patch } : item));
}

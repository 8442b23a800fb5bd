/** Where a stored slice sits in its track: bytes [start, start + size). */
export interface SliceSpan {
    index: number;
    start: number;
    size: number;
}

/** A byte range of one slice (`from`/`to` relative to the slice) that goes into a request. */
export interface SlicePart {
    index: number;
    from: number;
    to: number;
}

/** The slices (by index) whose every byte is below `offset`: the server has them, so they can go. */
export function acknowledgedSlices(slices: readonly SliceSpan[], offset: number): number[] {
    return slices.filter((s) => s.start + s.size <= offset).map((s) => s.index);
}

/**
 * The next request's body from `offset` on: the parts of the stored slices (ascending by start) that hold the bytes
 * at and after `offset`, at most `maxBytes` of them; a slice the offset falls inside is cut (slices split at any byte),
 * and a gap in the slices ends the body (those bytes are not stored yet). `end` is the offset after the body.
 */
export function planBody(slices: readonly SliceSpan[], offset: number, maxBytes: number): { parts: SlicePart[]; end: number } {
    const parts: SlicePart[] = [];
    let at = offset;
    for (const s of [...slices].sort((a, b) => a.start - b.start)) {
        const end = s.start + s.size;
        if (end <= at || s.size === 0) continue;
        if (s.start > at) break; // a gap: bytes not stored
        const room = offset + maxBytes - at;
        if (room <= 0) break;
        const from = at - s.start;
        const to = Math.min(s.size, from + room);
        parts.push({ index: s.index, from, to });
        at = s.start + to;
    }
    return { parts, end: at };
}

/** Whether the bytes from `offset` on are stored: the first slice left starts at or before it (or nothing is left). */
export function coversOffset(slices: readonly SliceSpan[], offset: number, bytesRecorded: number): boolean {
    if (offset >= bytesRecorded) return true;
    const first = [...slices].sort((a, b) => a.start - b.start).find((s) => s.start + s.size > offset);
    return first !== undefined && first.start <= offset;
}

import type { RoomsHistoryResult } from "../../api";

/** A chat message as the server numbers it (`seq` grows by one per room). */
export type ChatMessage = RoomsHistoryResult["items"][number];

/** Someone of the session (ids lower-cased: the server's events name users in lower case). */
export interface Participant {
    userId: string;
    role: string;
    online: boolean;
    muted: boolean;
    removed: boolean;
}

/** What the room page knows, from `rooms.join`, `rooms.history` and the room's events. */
export interface RoomState {
    participants: Participant[];
    /** Ascending by `seq`, none twice. */
    messages: ChatMessage[];
    /** Who typed last when (epoch ms), cleared by their next message. */
    typing: Record<string, number>;
}

/** The room's events (`room:<id>` channel) that change the state. */
export type RoomEvent =
    | { type: "presence.joined"; userId: string }
    | { type: "presence.left"; userId: string }
    | { type: "chat.message"; message: ChatMessage }
    | { type: "typing"; userId: string }
    | { type: "participant.muted"; userId: string }
    | { type: "participant.removed"; userId: string };

/** The room's state changes (a pure reducer). */
export type RoomAction =
    | { type: "joined"; participants: { userId: string; role: string; online: boolean }[] }
    | { type: "history"; items: ChatMessage[] }
    | { type: "event"; event: RoomEvent; at: number }
    | { type: "sent"; message: ChatMessage }
    /** This side's socket is down: nobody is known to be online until the room is joined again. */
    | { type: "offline" };

/** The state before joining. */
export const EMPTY_ROOM: RoomState = { participants: [], messages: [], typing: {} };

/** How long "is typing" stays after a typing event. */
export const TYPING_SHOWN_MS = 5_000;

/** Lower-cased id (ids come upper-cased from some answers and lower-cased in events). */
export const idOf = (id: string): string => id.toLowerCase();

/** `messages` with `incoming` merged in: ascending by seq, one per seq. */
export function mergeMessages(messages: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
    const bySeq = new Map<number, ChatMessage>();
    for (const m of messages) bySeq.set(m.seq, m);
    for (const m of incoming) bySeq.set(m.seq, { ...m, senderId: idOf(m.senderId) });
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The highest seq known (0 when none). */
export function lastSeq(messages: readonly ChatMessage[]): number {
    return messages.length ? messages[messages.length - 1].seq : 0;
}

function updateParticipant(state: RoomState, userId: string, change: Partial<Participant>): RoomState {
    const id = idOf(userId);
    const known = state.participants.some((p) => p.userId === id);
    const participants = known
        ? state.participants.map((p) => (p.userId === id ? { ...p, ...change } : p))
        : [...state.participants, { userId: id, role: "mentee", online: false, muted: false, removed: false, ...change }];
    return { ...state, participants };
}

/** The room's reducer. */
export function roomReducer(state: RoomState, action: RoomAction): RoomState {
    switch (action.type) {
        case "joined": {
            const previous = new Map(state.participants.map((p) => [p.userId, p]));
            const participants = action.participants.map((p) => {
                const id = idOf(p.userId);
                const before = previous.get(id);
                return { userId: id, role: p.role, online: p.online, muted: before?.muted ?? false, removed: before?.removed ?? false };
            });
            return { ...state, participants };
        }
        case "history":
            return { ...state, messages: mergeMessages(state.messages, action.items) };
        case "sent":
            return { ...state, messages: mergeMessages(state.messages, [action.message]) };
        case "offline":
            return { ...state, participants: state.participants.map((p) => ({ ...p, online: false })), typing: {} };
        case "event": {
            const e = action.event;
            switch (e.type) {
                case "presence.joined":
                    return updateParticipant(state, e.userId, { online: true });
                case "presence.left": {
                    const next = updateParticipant(state, e.userId, { online: false });
                    const typing = { ...next.typing };
                    delete typing[idOf(e.userId)];
                    return { ...next, typing };
                }
                case "chat.message": {
                    const typing = { ...state.typing };
                    delete typing[idOf(e.message.senderId)];
                    return { ...state, typing, messages: mergeMessages(state.messages, [e.message]) };
                }
                case "typing":
                    return { ...state, typing: { ...state.typing, [idOf(e.userId)]: action.at } };
                case "participant.muted":
                    return updateParticipant(state, e.userId, { muted: true });
                case "participant.removed":
                    return updateParticipant(state, e.userId, { removed: true, online: false });
            }
            return state;
        }
    }
}

/** Whether `value` is a room event this page understands. */
export function asRoomEvent(value: unknown): RoomEvent | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const e = value as { type?: unknown; userId?: unknown; message?: unknown };
    switch (e.type) {
        case "presence.joined":
        case "presence.left":
        case "typing":
        case "participant.muted":
        case "participant.removed":
            return typeof e.userId === "string" ? (e as RoomEvent) : undefined;
        case "chat.message": {
            const m = e.message as Partial<ChatMessage> | undefined;
            return m && typeof m.seq === "number" && typeof m.text === "string" && typeof m.senderId === "string" ? (e as RoomEvent) : undefined;
        }
    }
    return undefined;
}

/** Who is typing now (not `self`), by the typing events of the last few seconds. */
export function typingNow(state: RoomState, self: string, now: number): string[] {
    return Object.entries(state.typing)
        .filter(([id, at]) => id !== self && now - at < TYPING_SHOWN_MS)
        .map(([id]) => id);
}

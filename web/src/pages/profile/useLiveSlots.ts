import { useEffect, useState } from "react";
import { useServices } from "../../app/context";
import { gridRange, type Slot } from "./slots";

/** The live grid's state: the free slots, the mentor's zone, and whether changes are being pushed. */
export interface LiveSlots {
    slots?: Slot[];
    /** The mentor's IANA zone (the rules' zone). */
    mentorTimeZone?: string;
    /** True once `availability.subscribe` answered: every later change reloads the grid. */
    live: boolean;
    /** Counts the loads (what depends on the same pushes reloads when it changes). */
    version: number;
    error?: unknown;
    /** Reload now (after this tab's own hold or cancel, which also arrive as events). */
    reload(): void;
}

/** Reload every so often anyway: holds that lapse free their slot without an event. */
const REFRESH_MS = 60_000;

/**
 * The free slots of `minutes` of a mentor for the next days, kept current: subscribes to `availability.subscribe` first
 * and loads once it is answered (so no change between the read and the subscription is missed), then reloads on
 * every pushed change (a change during a load reloads once more after it), after a resume that lost events, and
 * every minute.
 */
export function useLiveSlots(mentorId: string, minutes: number | undefined): LiveSlots {
    const { api, client } = useServices();
    const [state, setState] = useState<Omit<LiveSlots, "reload">>({ live: false, version: 0 });
    const [reloader, setReloader] = useState<() => void>(() => () => undefined);

    useEffect(() => {
        setState({ live: false, version: 0 });
        if (!minutes) return;
        let active = true;
        let running = false;
        let again = false;
        const load = async () => {
            if (running) {
                again = true;
                return;
            }
            running = true;
            try {
                do {
                    again = false;
                    const answer = await api.availability.slots({ mentorId, minutes, limit: 500, ...gridRange(Date.now()) });
                    if (active) setState((s) => ({ ...s, slots: answer.slots, mentorTimeZone: answer.timeZone, version: s.version + 1, error: undefined }));
                } while (again && active);
            } catch (error) {
                if (active) setState((s) => ({ ...s, error }));
            } finally {
                running = false;
            }
        };
        setReloader(() => () => void load());
        const stop = client.subscribe("availability.subscribe", { mentorId }, {
            onSubscribed: () => {
                if (active) setState((s) => ({ ...s, live: true }));
                void load();
            },
            onEvent: () => void load(),
            onResumed: (recovered) => {
                if (!recovered) void load();
            },
            onEnded: () => active && setState((s) => ({ ...s, live: false })),
            onError: () => void load(),
        });
        const timer = setInterval(() => void load(), REFRESH_MS);
        return () => {
            active = false;
            clearInterval(timer);
            stop();
        };
    }, [api, client, mentorId, minutes]);

    return { ...state, reload: reloader };
}

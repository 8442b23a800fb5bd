import { useCallback, useEffect, useRef, useState } from "react";
import { useServices } from "../../app/context";
import type { AuditEntry } from "./adminFormat";
import { extendTail, startTail, type AuditTail } from "./auditTail";

/** Entries shown at first and added by each "More". */
export const AUDIT_STEP = 50;

/** The newest audit entries shown so far, and "More" for older ones. */
export interface AuditLogState {
    entries: AuditEntry[];
    hasMore: boolean;
    loading: boolean;
    error?: unknown;
    more(): void;
}

/**
 * The newest `AUDIT_STEP` entries of the log (newest first), `AUDIT_STEP` older ones on each `more()`; read again from
 * the newest whenever `version` changes (the page bumps it after its own audited writes).
 */
export function useAuditLog(version: number): AuditLogState {
    const { api } = useServices();
    const list = useCallback((params: Parameters<typeof api.audit.list>[0]) => api.audit.list(params), [api]);
    const [state, setState] = useState<{ tail: AuditTail; shown: number; loading: boolean; error?: unknown }>({
        tail: startTail(),
        shown: AUDIT_STEP,
        loading: true,
    });
    // A reload started after a walk makes that walk's answer stale.
    const generation = useRef(0);

    const walk = useCallback(
        async (tail: AuditTail, shown: number) => {
            const mine = ++generation.current;
            setState((s) => ({ ...s, shown, loading: true, error: undefined }));
            try {
                const next = tail.entries.length >= shown ? tail : await extendTail(list, tail, shown - tail.entries.length);
                if (mine === generation.current) setState({ tail: next, shown, loading: false });
            } catch (error) {
                if (mine === generation.current) setState((s) => ({ ...s, loading: false, error }));
            }
        },
        [list],
    );

    useEffect(() => {
        void walk(startTail(), AUDIT_STEP);
        return () => {
            generation.current++;
        };
    }, [walk, version]);

    const { tail, shown } = state;
    const more = useCallback(() => void walk(tail, shown + AUDIT_STEP), [walk, tail, shown]);
    return {
        entries: tail.entries.slice(0, shown),
        hasMore: !tail.done || tail.entries.length > shown,
        loading: state.loading,
        error: state.error,
        more,
    };
}

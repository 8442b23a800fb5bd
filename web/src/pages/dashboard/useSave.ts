import { useCallback, useState } from "react";
import { RpcError } from "../../rpc/RpcError";
import type { Checked, Problems } from "./fields";

/** Where one section's save stands: the status shown after it, its error, and the field problems (local or the server's). */
export interface SaveState {
    busy: boolean;
    status?: string;
    error?: unknown;
    problems: Problems;
}

/** What a section's save does: check the form, send it, show the outcome. */
export interface Saver {
    state: SaveState;
    /** Sends `checked`'s value with `send` (whose answer is the status to show); false when nothing was saved. */
    run: <T>(checked: Checked<T>, send: (value: T) => Promise<string>) => Promise<boolean>;
}

/** One section's save: problems found before sending are shown like the server's `invalid_params`. */
export function useSave(): Saver {
    const [state, setState] = useState<SaveState>({ busy: false, problems: {} });
    const run = useCallback(async <T,>(checked: Checked<T>, send: (value: T) => Promise<string>) => {
        if (!checked.ok) {
            const fields = Object.entries(checked.problems).map(([field, problem]) => ({ field, problem }));
            setState({ busy: false, problems: checked.problems, error: new RpcError(-32602, "Invalid params", "invalid_params", { fields }) });
            return false;
        }
        setState({ busy: true, problems: {}, status: "Saving…" });
        try {
            const status = await send(checked.value);
            setState({ busy: false, problems: {}, status });
            return true;
        } catch (error) {
            setState({ busy: false, problems: error instanceof RpcError ? error.fieldProblems : {}, error });
            return false;
        }
    }, []);
    return { state, run };
}

import { Field } from "../../components/Field";
import { Row } from "./Controls";
import { newOverride, type OverrideDraft } from "./availabilityDraft";
import { removeItem, updateItem, type Problems } from "./fields";

/** "Date overrides": a date unavailable all day, or open other hours than the weekly ones; `nextDate` for a new row. */
export function OverrideRows({
    rows,
    onChange,
    problems,
    nextDate,
}: {
    rows: OverrideDraft[];
    onChange: (rows: OverrideDraft[]) => void;
    problems: Problems;
    nextDate: () => string;
}) {
    return (
        <fieldset className="dash-rows">
            <legend>Date overrides</legend>
            {rows.map((row, i) => {
                const n = i + 1;
                const at = `overrides[${i}]`;
                const set = (patch: Partial<OverrideDraft>) => onChange(updateItem(rows, i, patch));
                return (
                    <Row
                        key={row.key}
                        legend={`Override ${n}`}
                        actions={
                            <button type="button" onClick={() => onChange(removeItem(rows, i))} aria-label={`Remove override ${n}`}>
                                Remove
                            </button>
                        }
                    >
                        <Field label="Date" type="date" value={row.date} onChange={(e) => set({ date: e.target.value })} problem={problems[`${at}.date`] ?? problems[at]} />
                        <label className="dash-check">
                            <input type="checkbox" checked={row.unavailable} onChange={(e) => set({ unavailable: e.target.checked })} /> Unavailable all day
                        </label>
                        <Field label="Start" type="time" value={row.start} disabled={row.unavailable} onChange={(e) => set({ start: e.target.value })} problem={problems[`${at}.start`]} />
                        <Field label="End" type="time" value={row.end} disabled={row.unavailable} onChange={(e) => set({ end: e.target.value })} problem={problems[`${at}.end`]} />
                    </Row>
                );
            })}
            <button type="button" onClick={() => onChange([...rows, newOverride(nextDate())])}>
                Add override
            </button>
        </fieldset>
    );
}

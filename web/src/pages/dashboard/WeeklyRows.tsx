import { Field } from "../../components/Field";
import { Row, SelectField } from "./Controls";
import { newWeekly, WEEKDAYS, type Weekday, type WeeklyDraft } from "./availabilityDraft";
import { removeItem, updateItem, type Problems } from "./fields";

const DAY_OPTIONS = WEEKDAYS.map((d) => ({ value: d.day, label: d.label }));

/** "Weekly hours": windows of day, start and end (an end of 00:00 is midnight), with add and remove. */
export function WeeklyRows({ rows, onChange, problems }: { rows: WeeklyDraft[]; onChange: (rows: WeeklyDraft[]) => void; problems: Problems }) {
    return (
        <fieldset className="dash-rows">
            <legend>Weekly hours</legend>
            <p className="hint">In the time zone above. An end of 00:00 means midnight.</p>
            {rows.length === 0 ? <p className="hint">No weekly hours: nobody can book you except on the dates below.</p> : null}
            {rows.map((row, i) => {
                const n = i + 1;
                const at = `weekly[${i}]`;
                return (
                    <Row
                        key={row.key}
                        legend={`Window ${n}`}
                        actions={
                            <button type="button" onClick={() => onChange(removeItem(rows, i))} aria-label={`Remove window ${n}`}>
                                Remove
                            </button>
                        }
                    >
                        <SelectField label="Day" value={row.day} options={DAY_OPTIONS} onChange={(e) => onChange(updateItem(rows, i, { day: e.target.value as Weekday }))} />
                        <Field label="Start" type="time" value={row.start} onChange={(e) => onChange(updateItem(rows, i, { start: e.target.value }))} problem={problems[`${at}.start`]} />
                        <Field label="End" type="time" value={row.end} onChange={(e) => onChange(updateItem(rows, i, { end: e.target.value }))} problem={problems[`${at}.end`]} />
                    </Row>
                );
            })}
            <button type="button" onClick={() => onChange([...rows, newWeekly(rows)])}>
                Add window
            </button>
        </fieldset>
    );
}

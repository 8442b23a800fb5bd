import { Field } from "../../components/Field";
import { Row, SelectField } from "./Controls";
import { removeItem, updateItem, type Problems } from "./fields";
import { newSessionType, SESSION_KINDS, type SessionKind, type SessionTypeDraft } from "./profileDraft";

const KIND_OPTIONS = SESSION_KINDS.map((k) => ({ value: k.kind, label: k.label }));

/** "Session types and prices": one row per kind, length and price, with add and remove. */
export function SessionTypeRows({ rows, onChange, problems }: { rows: SessionTypeDraft[]; onChange: (rows: SessionTypeDraft[]) => void; problems: Problems }) {
    return (
        <fieldset className="dash-rows">
            <legend>Session types and prices</legend>
            {rows.length === 0 ? <p className="hint">No session types: mentees cannot book you.</p> : null}
            {rows.map((row, i) => {
                const at = `sessionTypes[${i}]`;
                const n = i + 1;
                return (
                    <Row
                        key={row.key}
                        legend={`Session type ${n}`}
                        actions={
                            <button type="button" onClick={() => onChange(removeItem(rows, i))} aria-label={`Remove session type ${n}`}>
                                Remove
                            </button>
                        }
                    >
                        <SelectField
                            label="Kind"
                            value={row.kind}
                            options={KIND_OPTIONS}
                            onChange={(e) => onChange(updateItem(rows, i, { kind: e.target.value as SessionKind }))}
                            problem={problems[`${at}.kind`]}
                        />
                        <Field
                            label="Minutes"
                            inputMode="numeric"
                            value={row.minutes}
                            onChange={(e) => onChange(updateItem(rows, i, { minutes: e.target.value }))}
                            problem={problems[`${at}.minutes`]}
                        />
                        <Field
                            label="Price (credits)"
                            inputMode="numeric"
                            value={row.price}
                            onChange={(e) => onChange(updateItem(rows, i, { price: e.target.value }))}
                            problem={problems[`${at}.priceCredits`]}
                        />
                    </Row>
                );
            })}
            <button type="button" onClick={() => onChange([...rows, newSessionType()])}>
                Add session type
            </button>
        </fieldset>
    );
}

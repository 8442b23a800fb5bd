import { useMemo } from "react";
import { SelectField } from "./Controls";
import { timeZoneOptions } from "./schedule";

/** "Time zone": a select of the browser's IANA zones (the current value always among them). */
export function TimeZoneField({ value, onChange, problem }: { value: string; onChange: (zone: string) => void; problem?: string }) {
    const options = useMemo(() => timeZoneOptions(value).map((z) => ({ value: z, label: z.replace(/_/g, " ") })), [value]);
    return <SelectField label="Time zone" value={value} onChange={(e) => onChange(e.target.value)} options={options} problem={problem} />;
}

import { ErrorMessage } from "../../components/ErrorMessage";
import { formatLocal } from "../../components/time";
import { actionText, actorText, detailsText, targetText } from "./adminFormat";
import { useAuditLog } from "./useAuditLog";
import { VerifyChain } from "./VerifyChain";

const TIME: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" };

/**
 * "Audit log": the newest entries first (time, actor, action, target; names for the accounts loaded above), "More"
 * for older ones, and "Verify chain". Read again from the newest whenever `version` changes.
 */
export function AuditLogSection({ names, version }: { names: ReadonlyMap<string, string>; version: number }) {
    const log = useAuditLog(version);
    return (
        <section aria-label="Audit log" className="admin-section">
            <h2>Audit log</h2>
            <p className="hint">Newest first. Each entry is chained to the one before it by a hash, so a changed or removed entry breaks the chain.</p>
            <VerifyChain />
            {!log.loading && !log.error && log.entries.length === 0 ? <p>No entries yet.</p> : null}
            {log.entries.length > 0 ? (
                <table className="admin-table stack-table" role="table">
                    <thead role="rowgroup">
                        <tr role="row">
                            <th scope="col" role="columnheader">Time</th>
                            <th scope="col" role="columnheader">Actor</th>
                            <th scope="col" role="columnheader">Action</th>
                            <th scope="col" role="columnheader">Target</th>
                        </tr>
                    </thead>
                    <tbody role="rowgroup">
                        {log.entries.map((e) => {
                            const details = detailsText(e.details);
                            return (
                                <tr key={e.id} role="row" data-entry={e.id}>
                                    <td role="cell" className="when">
                                        <time dateTime={e.at}>{formatLocal(e.at, TIME)}</time>
                                    </td>
                                    <td role="cell" data-label="Actor" title={e.actorId}>
                                        {actorText(e.actorId, names)}
                                    </td>
                                    <td role="cell" data-label="Action">
                                        {actionText(e)}
                                        {details ? <span className="hint audit-details">{details}</span> : null}
                                    </td>
                                    <td role="cell" className="target" data-label="Target" title={e.target}>
                                        {targetText(e.target, names)}
                                    </td>
                                </tr>
                            );
                        })}
                    </tbody>
                </table>
            ) : null}
            {log.loading ? <p role="status">Loading…</p> : null}
            <ErrorMessage error={log.error} />
            {log.hasMore && !log.loading ? (
                <button type="button" onClick={log.more}>
                    More
                </button>
            ) : null}
        </section>
    );
}

import { useId } from "react";
import { formatLocal } from "../../components/time";
import { readableBody, type Notification } from "./notificationRules";

/** One notification: its title, when, what it says; an unread one is marked (in text too) and has "Mark read". */
export function NotificationItem({ notification: n, busy, onMarkRead }: { notification: Notification; busy: boolean; onMarkRead(): void }) {
    const titleId = useId();
    return (
        <li className={n.read ? "note" : "note note-unread"}>
            <article aria-labelledby={titleId}>
                <h2 id={titleId}>
                    {n.read ? null : <span className="note-flag">Unread: </span>}
                    {n.title}
                </h2>
                <p className="hint">
                    <time dateTime={n.createdAt}>{formatLocal(n.createdAt)}</time>
                </p>
                <p>{readableBody(n.body, (instant) => formatLocal(instant))}</p>
                {n.read ? null : (
                    <button type="button" onClick={onMarkRead} disabled={busy} aria-describedby={titleId}>
                        Mark read
                    </button>
                )}
            </article>
        </li>
    );
}

import { ErrorMessage } from "../components/ErrorMessage";
import { NotificationItem } from "./notifications/NotificationItem";
import { unreadIds } from "./notifications/notificationRules";
import { useInbox } from "./notifications/useInbox";

/**
 * Notifications, newest first (`notifications.list`, "More" on the cursor), live: a pushed one appears at the top.
 * Unread ones are marked and have "Mark read"; "Mark all read" marks every unread one shown (and older ones not yet
 * loaded). The header's badge follows at once.
 */
export function NotificationsPage() {
    const inbox = useInbox();
    const items = inbox.items;
    const unread = items ? unreadIds(items).length : 0;
    return (
        <div className="notifications">
            <div className="notifications-head">
                <h1>Notifications</h1>
                <button type="button" onClick={inbox.markAll} disabled={inbox.busy || !items || (unread === 0 && !inbox.nextCursor)}>
                    Mark all read
                </button>
            </div>
            {!items && !inbox.error ? <p role="status">Loading…</p> : null}
            <ErrorMessage error={inbox.error} />
            {items ? (
                <p role="status" className="hint">
                    {unread === 0 ? "Nothing unread." : unread === 1 ? "1 unread notification." : `${unread} unread notifications.`}
                </p>
            ) : null}
            {items && items.length === 0 ? <p>No notifications yet.</p> : null}
            {items && items.length > 0 ? (
                <ol className="notes" aria-label="Your notifications">
                    {items.map((n) => (
                        <NotificationItem key={n.id} notification={n} busy={inbox.busy} onMarkRead={() => inbox.markRead([n.id])} />
                    ))}
                </ol>
            ) : null}
            {inbox.nextCursor ? (
                <button type="button" className="more" onClick={inbox.more} disabled={inbox.busy}>
                    More
                </button>
            ) : null}
        </div>
    );
}

import { Link, useLocation } from "../app/router";
import { badgeText, bellLabel } from "../pages/notifications/notificationRules";
import { useLiveUnreadCount } from "../pages/notifications/useUnreadCount";

/**
 * The header's link to the notifications page, named "Notifications" plus the unread count ("Notifications, 3 unread"),
 * with a badge showing the number ("999+" above 999). Live: read again on every push and after marking read.
 */
export function NotificationBell() {
    const count = useLiveUnreadCount();
    const badge = badgeText(count);
    const here = useLocation().pathname === "/notifications";
    return (
        <Link to="/notifications" className="bell" aria-label={bellLabel(count)} aria-current={here ? "page" : undefined} data-unread={count ?? ""}>
            <span aria-hidden="true">Notifications</span>
            {badge ? (
                <span className="bell-badge" aria-hidden="true">
                    {badge}
                </span>
            ) : null}
        </Link>
    );
}

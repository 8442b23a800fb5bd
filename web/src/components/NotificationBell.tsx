import { Link } from "../app/router";

/** The header's link to the notifications page. (Placeholder: the live unread count comes next.) */
export function NotificationBell() {
    return (
        <Link to="/notifications" className="bell">
            Notifications
        </Link>
    );
}

/** Notifications (placeholder: being built). */
export function NotificationsPage() {
    return (
        <div>
            <h1>Notifications</h1>
        </div>
    );
}

/** Mentor dashboard (placeholder: being built). */
export function DashboardPage() {
    return (
        <div>
            <h1>Mentor dashboard</h1>
        </div>
    );
}

/** Admin (placeholder: being built). */
export function AdminPage() {
    return (
        <div>
            <h1>Admin</h1>
        </div>
    );
}

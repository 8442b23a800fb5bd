import { useState } from "react";
import { ErrorMessage } from "../../components/ErrorMessage";
import type { AdminUser } from "./adminFormat";
import type { UsersState } from "./useUsers";
import { UserRow } from "./UserRow";

/**
 * "Users": every account (`admin.listUsers`, "More users" on its cursor) with its role control and "Disable". The table
 * keeps explicit table roles: at phone width its rows are laid out as cards (`.stack-table`), which would drop them.
 */
export function UsersSection({ users, selfId, onChanged }: { users: UsersState; selfId: string; onChanged(user: AdminUser): void }) {
    const [notice, setNotice] = useState("");
    return (
        <section aria-label="Users" className="admin-section">
            <h2>Users</h2>
            <p role="status" className={notice ? "notice success" : "visually-hidden"}>
                {notice}
            </p>
            <table className="admin-table stack-table" role="table">
                <thead role="rowgroup">
                    <tr role="row">
                        <th scope="col" role="columnheader">Name</th>
                        <th scope="col" role="columnheader">Email</th>
                        <th scope="col" role="columnheader">Roles</th>
                        <th scope="col" role="columnheader">Status</th>
                        <th scope="col" role="columnheader">Change</th>
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    {users.items.map((u) => (
                        <UserRow key={u.id} user={u} self={u.id === selfId} onChanged={(updated, text) => {
                            setNotice(text);
                            onChanged(updated);
                        }} />
                    ))}
                </tbody>
            </table>
            {users.loading ? <p role="status">Loading…</p> : null}
            <ErrorMessage error={users.error} />
            {users.cursor ? (
                <button type="button" onClick={users.more} disabled={users.loading}>
                    More users
                </button>
            ) : null}
        </section>
    );
}

import { useMemo, useState } from "react";
import { useSession } from "../app/context";
import { AuditLogSection } from "./admin/AuditLogSection";
import { namesById } from "./admin/adminFormat";
import { UsersSection } from "./admin/UsersSection";
import { useUsers } from "./admin/useUsers";

/**
 * Admin: the accounts (set a role, disable) and the audit log (newest first, with "Verify chain"). The log is read
 * again after each change made here, so the change's own entry shows up.
 */
export function AdminPage() {
    const session = useSession();
    const users = useUsers();
    const [changes, setChanges] = useState(0);
    // The signed-in admin by name too, even when their row is not on the loaded pages (they act in most entries).
    const me = session.status === "signedIn" ? session.user : undefined;
    const names = useMemo(() => namesById(me ? [...users.items, me] : users.items), [users.items, me]);
    return (
        <div className="admin">
            <h1>Admin</h1>
            <UsersSection
                users={users}
                selfId={session.status === "signedIn" ? session.user.id : ""}
                onChanged={(user) => {
                    users.replace(user);
                    setChanges((n) => n + 1);
                }}
            />
            <AuditLogSection names={names} version={changes} />
        </div>
    );
}

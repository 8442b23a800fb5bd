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
    const names = useMemo(() => namesById(users.items), [users.items]);
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

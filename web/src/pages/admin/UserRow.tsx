import { useEffect, useState } from "react";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { currentRole, roleChanges, rolesText, ROLES, userStatus, type AdminUser, type Role } from "./adminFormat";

/**
 * One account in the users table: name, email, roles, status, and (for anyone but the signed-in admin) "Role for
 * <name>" with "Set role" (`admin.setRole`), and "Disable <name>" with an inline "Confirm disable" step
 * (`admin.disableUser`). `onChanged` hears the updated account and a sentence saying what happened.
 */
export function UserRow({ user, self, onChanged }: { user: AdminUser; self: boolean; onChanged(user: AdminUser, notice: string): void }) {
    const { api } = useServices();
    const [role, setRole] = useState<Role>(currentRole(user.roles));
    const [confirming, setConfirming] = useState(false);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>();
    useEffect(() => setRole(currentRole(user.roles)), [user.roles]);

    const run = async (write: () => Promise<{ user: AdminUser }>, notice: (u: AdminUser) => string) => {
        setBusy(true);
        setError(undefined);
        try {
            const { user: updated } = await write();
            setConfirming(false);
            onChanged(updated, notice(updated));
        } catch (e) {
            setError(e);
        } finally {
            setBusy(false);
        }
    };
    const saveRole = () =>
        run(() => api.admin.setRole({ userId: user.id, role }), (u) => `${u.name} is now ${rolesText(u.roles)}; their sessions were ended, the new role applies at their next sign-in.`);
    const disable = () => run(() => api.admin.disableUser({ userId: user.id }), (u) => `${u.name} is disabled and signed out everywhere.`);

    return (
        <tr role="row" className={user.disabled ? "user-disabled" : undefined}>
            <th scope="row" role="rowheader">
                {user.name}
            </th>
            <td role="cell" className="email" data-label="Email">
                {user.email}
            </td>
            <td role="cell" className="inline" data-label="Roles">
                {rolesText(user.roles)}
            </td>
            <td role="cell" className="inline" data-label="Status">
                <span className={user.disabled ? "status status-cancelled" : "status"}>{userStatus(user)}</span>
            </td>
            <td role="cell">
                {self ? (
                    <span className="hint">You</span>
                ) : (
                    <div className="user-actions">
                        <span className="role-control">
                            <select aria-label={`Role for ${user.name}`} value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={busy}>
                                {ROLES.map((r) => (
                                    <option key={r} value={r}>
                                        {r}
                                    </option>
                                ))}
                            </select>
                            <button type="button" onClick={saveRole} disabled={busy || !roleChanges(user.roles, role)}>
                                Set role
                            </button>
                        </span>
                        {user.disabled ? null : confirming ? (
                            <span className="confirm-disable" role="group" aria-label={`Disable ${user.name}?`}>
                                <button type="button" className="danger" onClick={disable} disabled={busy} autoFocus>
                                    Confirm disable
                                </button>
                                <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
                                    Keep account
                                </button>
                            </span>
                        ) : (
                            <button type="button" aria-label={`Disable ${user.name}`} onClick={() => setConfirming(true)} disabled={busy}>
                                Disable
                            </button>
                        )}
                    </div>
                )}
                <ErrorMessage error={error} />
            </td>
        </tr>
    );
}

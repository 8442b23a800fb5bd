import type { AdminListUsersResult, AuditListResult, AuditVerifyResult } from "../../api";

/** An account as `admin.listUsers` answers it. */
export type AdminUser = AdminListUsersResult["items"][number];
/** A role an admin can give (`admin.setRole` sets exactly one). */
export type Role = AdminUser["roles"][number];
/** An audit entry as `audit.list` answers it. */
export type AuditEntry = AuditListResult["items"][number];

/** The roles in the order the role control offers them. */
export const ROLES: readonly Role[] = ["mentee", "mentor", "admin"];

/** The status column: "Disabled" or "Active". */
export function userStatus(user: Pick<AdminUser, "disabled">): "Disabled" | "Active" {
    return user.disabled ? "Disabled" : "Active";
}

/** The roles column, e.g. "mentor, admin" ("none" for an account without a role). */
export function rolesText(roles: readonly Role[]): string {
    return roles.length ? roles.join(", ") : "none";
}

/** The role the control starts on: the account's one role (its first, in the control's order, when it has several). */
export function currentRole(roles: readonly Role[]): Role {
    return ROLES.find((r) => roles.includes(r)) ?? "mentee";
}

/** Whether "Set role" would change anything: `admin.setRole` leaves the account with exactly `role`. */
export function roleChanges(roles: readonly Role[], role: Role): boolean {
    return !(roles.length === 1 && roles[0] === role);
}

/** `items` with `next` appended, an account already there (a page boundary moved) replaced rather than repeated. */
export function mergeUsers(items: readonly AdminUser[], next: readonly AdminUser[]): AdminUser[] {
    const byId = new Map(next.map((u) => [u.id, u]));
    const kept = items.map((u) => byId.get(u.id) ?? u);
    return [...kept, ...next.filter((u) => !items.some((i) => i.id === u.id))];
}

/** `items` with `updated` (an answer of `admin.setRole` / `admin.disableUser`) in place of the old row. */
export function replaceUser(items: readonly AdminUser[], updated: AdminUser): AdminUser[] {
    return items.map((u) => (u.id === updated.id ? updated : u));
}

/** Names of the accounts loaded so far, by id (the audit log shows these instead of ids). */
export function namesById(users: readonly AdminUser[]): ReadonlyMap<string, string> {
    return new Map(users.map((u) => [u.id.toLowerCase(), u.name]));
}

/** An id shortened for a table cell ("3f2a9c1e…"); the full id goes into the cell's title. */
export function shortId(id: string): string {
    return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

/** Who did it: the actor's name when known, a short id otherwise, "system" when there was no signed-in actor. */
export function actorText(actorId: string | undefined, names: ReadonlyMap<string, string>): string {
    if (!actorId) return "system";
    return names.get(actorId.toLowerCase()) ?? shortId(actorId);
}

/** What it was done to: an account's name when the target is a known user id, else the target as logged ("—" for none). */
export function targetText(target: string | undefined, names: ReadonlyMap<string, string>): string {
    if (!target) return "—";
    return names.get(target.toLowerCase()) ?? target;
}

/** The action with its outcome when it did not succeed, e.g. "login (failure)". */
export function actionText(entry: Pick<AuditEntry, "action" | "outcome">): string {
    return entry.outcome === "success" ? entry.action : `${entry.action} (${entry.outcome})`;
}

/** An entry's details on one line, keys sorted: "reason: invalid_credentials · role: mentor" ("" when none). */
export function detailsText(details: Readonly<Record<string, string>>): string {
    return Object.keys(details)
        .sort()
        .map((k) => `${k}: ${details[k]}`)
        .join(" · ");
}

/** The sentence for `audit.verify`'s answer. */
export function verifyText(result: AuditVerifyResult): string {
    const entries = (n: number) => `${n} ${n === 1 ? "entry" : "entries"}`;
    if (result.ok) return `Audit chain verified: ${entries(result.checked)} intact.`;
    const at = result.firstBrokenId === undefined ? "an unknown entry" : `entry ${result.firstBrokenId}`;
    return `Audit chain broken at ${at}: ${entries(result.checked)} before it intact.`;
}

import { useCallback, useState } from "react";
import { useSession } from "../app/context";
import { AgendaSection } from "./dashboard/AgendaSection";
import { AvailabilitySection } from "./dashboard/AvailabilitySection";
import { GroupSessionsSection } from "./dashboard/GroupSessionsSection";
import { ProfileSection } from "./dashboard/ProfileSection";

/**
 * The mentor dashboard: "Profile", "Availability" (with the week preview of bookable times), "Group sessions" and
 * "Agenda template", each saved on its own. Only mentors reach it (App's RequireRole); the mentor is the signed-in user.
 */
export function DashboardPage() {
    const session = useSession();
    // Moves when a group session is created, so the week preview reloads (the session blocks its time).
    const [scheduleChanges, setScheduleChanges] = useState(0);
    const scheduleChanged = useCallback(() => setScheduleChanges((n) => n + 1), []);
    if (session.status !== "signedIn") return null;
    const mentorId = session.user.id;
    return (
        <div className="dashboard">
            <h1>Mentor dashboard</h1>
            <ProfileSection mentorId={mentorId} />
            <AvailabilitySection mentorId={mentorId} changes={scheduleChanges} />
            <GroupSessionsSection mentorId={mentorId} onCreated={scheduleChanged} />
            <AgendaSection mentorId={mentorId} />
        </div>
    );
}

import { useEffect, type ReactNode } from "react";
import { AdminPage } from "../pages/AdminPage";
import { DashboardPage } from "../pages/DashboardPage";
import { FindMentorPage } from "../pages/FindMentorPage";
import { MentorProfilePage } from "../pages/MentorProfilePage";
import { MySessionsPage } from "../pages/MySessionsPage";
import { NotificationsPage } from "../pages/NotificationsPage";
import { RecordingsPage } from "../pages/RecordingsPage";
import { RoomPage } from "../pages/room/RoomPage";
import { SignInPage } from "../pages/SignInPage";
import { SignUpPage } from "../pages/SignUpPage";
import { WalletPage } from "../pages/WalletPage";
import { useSession } from "./context";
import { Layout } from "./Layout";
import { navigate, signInPath, useLocation } from "./router";
import { matchRoute } from "./routes";

/** The app: the route for the address, in the layout; pages that need an account send a signed-out user to sign in. */
export function App() {
    const location = useLocation();
    const session = useSession();
    const route = matchRoute(location.pathname, location.search);
    const here = location.pathname + location.search;

    // A session that ends by itself (refresh refused) goes to sign in, and comes back here afterwards.
    useEffect(() => {
        if (session.status === "signedOut" && session.expired && route.name !== "signIn") navigate(signInPath(here), true);
    }, [session, route.name, here]);

    useEffect(() => {
        document.title = `${route.title} · MentorLink`;
    }, [route.title]);

    let page: ReactNode;
    if (route.needsAccount && session.status !== "signedIn") {
        page = session.status === "unknown" ? <p role="status">Loading…</p> : <Redirect to={signInPath(here)} />;
    } else {
        switch (route.name) {
            case "find":
                page = <FindMentorPage />;
                break;
            case "profile":
                page = <MentorProfilePage mentorId={route.mentorId} />;
                break;
            case "signIn":
                page = <SignInPage next={route.next} expired={session.status === "signedOut" && session.expired} />;
                break;
            case "signUp":
                page = <SignUpPage next={route.next} />;
                break;
            case "sessions":
                page = <MySessionsPage />;
                break;
            case "room":
                page = <RoomPage key={route.bookingId} bookingId={route.bookingId} />;
                break;
            case "wallet":
                page = <WalletPage />;
                break;
            case "notifications":
                page = <NotificationsPage />;
                break;
            case "recordings":
                page = <RecordingsPage />;
                break;
            case "dashboard":
                page = <RequireRole role="mentor">{<DashboardPage />}</RequireRole>;
                break;
            case "admin":
                page = <RequireRole role="admin">{<AdminPage />}</RequireRole>;
                break;
            case "notFound":
                page = (
                    <div>
                        <h1>Page not found</h1>
                        <p>There is nothing at this address.</p>
                    </div>
                );
                break;
        }
    }
    return <Layout>{page}</Layout>;
}

/** A page only `role` may use (the server refuses the calls anyway; this says so instead of a page of errors). */
function RequireRole({ role, children }: { role: "mentor" | "admin"; children: ReactNode }) {
    const session = useSession();
    if (session.status === "signedIn" && session.user.roles.includes(role)) return <>{children}</>;
    return (
        <div>
            <h1>Not available</h1>
            <p>This page is for {role === "admin" ? "administrators" : "mentors"}.</p>
        </div>
    );
}

function Redirect({ to }: { to: string }) {
    useEffect(() => navigate(to, true), [to]);
    return null;
}

import { useEffect, useState, type ReactNode } from "react";
import { NotificationBell } from "../components/NotificationBell";
import type { ConnectionState } from "../rpc/Connection";
import { useServices, useSession } from "./context";
import { Link, navigate, useLocation } from "./router";

/** The page frame: skip link, header with the navigation for who is signed in, connection notices, main. */
export function Layout({ children }: { children: ReactNode }) {
    const session = useSession();
    const { client } = useServices();
    const { pathname } = useLocation();
    const current = (path: string) => (pathname === path || pathname.startsWith(path + "/") ? "page" : undefined);
    const signOut = async () => {
        await client.signOut();
        navigate("/signin");
    };
    return (
        <>
            <a className="skip-link" href="#main">
                Skip to content
            </a>
            <header className="site-header">
                <Link to="/" className="brand">
                    MentorLink
                </Link>
                <nav aria-label="Main">
                    <ul>
                        <li>
                            <Link to="/mentors" aria-current={current("/mentors")}>
                                Find a mentor
                            </Link>
                        </li>
                        {session.status === "signedIn" ? (
                            <>
                                <li>
                                    <Link to="/sessions" aria-current={current("/sessions")}>
                                        My sessions
                                    </Link>
                                </li>
                                <li>
                                    <Link to="/wallet" aria-current={current("/wallet")}>
                                        Wallet
                                    </Link>
                                </li>
                                <li>
                                    <Link to="/recordings" aria-current={current("/recordings")}>
                                        Recordings
                                    </Link>
                                </li>
                                {session.user.roles.includes("mentor") ? (
                                    <li>
                                        <Link to="/dashboard" aria-current={current("/dashboard")}>
                                            Dashboard
                                        </Link>
                                    </li>
                                ) : null}
                                {session.user.roles.includes("admin") ? (
                                    <li>
                                        <Link to="/admin" aria-current={current("/admin")}>
                                            Admin
                                        </Link>
                                    </li>
                                ) : null}
                            </>
                        ) : null}
                    </ul>
                </nav>
                <div className="account">
                    {session.status === "signedIn" ? (
                        <>
                            <NotificationBell />
                            <span className="who">{session.user.name}</span>
                            <button type="button" onClick={signOut}>
                                Sign out
                            </button>
                        </>
                    ) : session.status === "signedOut" ? (
                        <>
                            <Link to="/signup" aria-current={current("/signup")}>
                                Sign up
                            </Link>
                            <Link to="/signin" aria-current={current("/signin")}>
                                Sign in
                            </Link>
                        </>
                    ) : null}
                </div>
            </header>
            <ConnectionNotices />
            <main id="main" tabIndex={-1}>
                {children}
            </main>
        </>
    );
}

/** "Reconnecting" while the socket is down, and a notice when a resumed subscription could not replay what it missed. */
function ConnectionNotices() {
    const { connection } = useServices();
    const [state, setState] = useState<ConnectionState>(connection.currentState);
    const [gap, setGap] = useState(false);
    useEffect(
        () =>
            connection.listen((event) => {
                if (event.type === "state") setState(event.state);
                else setGap(true);
            }),
        [connection],
    );
    return (
        <div className="notices">
            <div role="status" className={state === "waiting" ? "notice" : "visually-hidden"}>
                {state === "waiting" ? "Connection lost. Reconnecting…" : ""}
            </div>
            {gap ? (
                <div role="alert" className="notice notice-warning">
                    Some live updates were missed while the connection was down; what you see was reloaded.{" "}
                    <button type="button" onClick={() => setGap(false)}>
                        Dismiss
                    </button>
                </div>
            ) : null}
        </div>
    );
}

import { useCallback, useEffect, useState } from "react";
import type { RecordingsGetResult } from "../api/types";
import { useServices, useSession } from "../app/context";
import { ErrorMessage } from "../components/ErrorMessage";
import { formatLocal } from "../components/time";
import { resumePendingUploads } from "./room/recording/pageUploads";
import { clock, recordedMs, stateWords, watchable, type RecordingItem } from "./recordings/recordingWords";

type Detail = RecordingsGetResult["recording"];

/**
 * Your recordings, newest first (`recordings.list`, "More" on the cursor). "Watch" asks `recordings.get` for the
 * signed links (each view is audited) and plays the composite, with each participant's MP4 to download; the mentor
 * deletes. Opening the page also finishes uploads an earlier page left behind (a closed tab's tail).
 */
export function RecordingsPage() {
    const { api } = useServices();
    const session = useSession();
    const selfId = session.status === "signedIn" ? session.user.id : "";
    const isMentor = session.status === "signedIn" && session.user.roles.includes("mentor");
    const [items, setItems] = useState<RecordingItem[]>();
    const [nextCursor, setNextCursor] = useState<string>();
    const [error, setError] = useState<unknown>();
    const [open, setOpen] = useState<Detail>();
    const [busy, setBusy] = useState(false);
    const [confirming, setConfirming] = useState<string>();

    const load = useCallback(
        async (cursor?: string) => {
            setBusy(true);
            try {
                const page = await api.recordings.list(cursor ? { cursor } : {});
                setItems((current) => (cursor ? [...(current ?? []), ...page.items] : page.items));
                setNextCursor(page.nextCursor);
                setError(undefined);
            } catch (e) {
                setError(e);
            } finally {
                setBusy(false);
            }
        },
        [api],
    );

    useEffect(() => {
        void load();
    }, [load]);
    useEffect(() => {
        if (selfId) void resumePendingUploads(selfId);
    }, [selfId]);

    const watch = async (id: string) => {
        setBusy(true);
        try {
            setOpen((await api.recordings.get({ recordingId: id })).recording);
            setError(undefined);
        } catch (e) {
            setError(e);
        } finally {
            setBusy(false);
        }
    };
    const remove = async (id: string) => {
        setBusy(true);
        try {
            await api.recordings.delete({ recordingId: id });
            setItems((current) => current?.filter((r) => r.id !== id));
            if (open?.id === id) setOpen(undefined);
            setError(undefined);
        } catch (e) {
            setError(e);
        } finally {
            setBusy(false);
        }
    };

    const composite = open?.outputs.find((o) => o.kind === "composite");
    const tracks = open?.outputs.filter((o) => o.kind === "mp4") ?? [];
    return (
        <div className="recordings">
            <h1>Recordings</h1>
            {!items && !error ? <p role="status">Loading…</p> : null}
            <ErrorMessage error={error} />
            {open ? (
                <section aria-label="Watching" className="recording-player">
                    <h2>
                        Recording of <time dateTime={open.startedAt}>{formatLocal(open.startedAt)}</time>
                    </h2>
                    {composite ? <video controls preload="metadata" src={composite.url} aria-label="Recording" /> : <p>No composite was made.</p>}
                    {open.gaps.length > 0 ? <p className="notice">Parts of this recording are missing (shown frozen and silent).</p> : null}
                    {tracks.length > 0 ? (
                        <ul aria-label="Each participant">
                            {tracks.map((t, i) => (
                                <li key={t.url}>
                                    <a href={t.url} download>
                                        {t.participantId?.toLowerCase() === selfId.toLowerCase() ? "Your" : `Participant ${i + 1}'s`} video (MP4, {clock(t.durationMs)})
                                    </a>
                                </li>
                            ))}
                        </ul>
                    ) : null}
                    <button type="button" onClick={() => setOpen(undefined)}>
                        Close
                    </button>
                </section>
            ) : null}
            {items && items.length === 0 ? <p>No recordings yet. Sessions whose booking allows it record themselves.</p> : null}
            {items && items.length > 0 ? (
                <ol className="recording-list" aria-label="Your recordings">
                    {items.map((r) => (
                        <li key={r.id}>
                            <time dateTime={r.startedAt}>{formatLocal(r.startedAt)}</time> <span role="status">{stateWords(r)}</span>
                            {recordedMs(r) > 0 ? <span> · {clock(recordedMs(r))}</span> : null}
                            {r.failure ? <span className="hint"> · {r.failure}</span> : null}
                            {watchable(r) ? (
                                <button type="button" onClick={() => void watch(r.id)} disabled={busy}>
                                    Watch
                                </button>
                            ) : null}
                            {isMentor && r.state !== "recording" && r.state !== "processing" && confirming !== r.id ? (
                                <button type="button" className="danger" onClick={() => setConfirming(r.id)} disabled={busy}>
                                    Delete
                                </button>
                            ) : null}
                            {confirming === r.id ? (
                                <span role="group" aria-label="Delete this recording?">
                                    Delete it and its media for everyone?{" "}
                                    <button type="button" className="danger" onClick={() => void remove(r.id)} disabled={busy}>
                                        Delete for good
                                    </button>
                                    <button type="button" onClick={() => setConfirming(undefined)}>
                                        Keep
                                    </button>
                                </span>
                            ) : null}
                        </li>
                    ))}
                </ol>
            ) : null}
            {nextCursor ? (
                <button type="button" className="more" onClick={() => void load(nextCursor)} disabled={busy}>
                    More
                </button>
            ) : null}
        </div>
    );
}

import { useEffect, useReducer, useRef, useState } from "react";
import { useServices, useSession } from "../../app/context";
import { Link } from "../../app/router";
import { ErrorMessage, errorText } from "../../components/ErrorMessage";
import { formatLocal } from "../../components/time";
import { Chat } from "./Chat";
import { DeviceControls } from "./DeviceControls";
import { Participants } from "./Participants";
import { RecordingBar } from "./recording/RecordingBar";
import { useRecording } from "./recording/useRecording";
import { EMPTY_ROOM, idOf, roomReducer, typingNow } from "./roomState";
import { RoomSession, type RoomView } from "./RoomSession";
import { tileColumns } from "./tileLayout";
import { useLocalMedia } from "./useLocalMedia";
import { Video } from "./Video";

/** What the page says about where it stands. */
const PHASE_TEXT: Record<RoomView["phase"], string> = {
    joining: "Joining the room…",
    joined: "In the room.",
    reconnecting: "Offline: rejoining the room when the connection is back…",
    left: "You left the session.",
    removed: "You were removed from this session.",
    closed: "This room is closed.",
    failed: "The room could not be joined.",
};

/** How often "is typing" is re-evaluated. */
const TYPING_TICK_MS = 1_000;

/**
 * A session's room: one's own camera preview and a video per other participant (WebRTC mesh), mute, camera off,
 * device choice, "Leave", presence, the chat with its history and who is typing; a group's mentor mutes and removes.
 */
export function RoomPage({ bookingId }: { bookingId: string }) {
    const { api, connection } = useServices();
    const session = useSession();
    const selfId = session.status === "signedIn" ? idOf(session.user.id) : "";
    const [state, dispatch] = useReducer(roomReducer, EMPTY_ROOM);
    const stateRef = useRef(state);
    stateRef.current = state;
    const [view, setView] = useState<RoomView>({ phase: "joining", meshCap: 0, topology: "mesh", remotes: [] });
    const roomSession = useRef<RoomSession>();
    const [now, setNow] = useState(Date.now());
    const [mentorName, setMentorName] = useState<string>();
    const tiles = useRef<HTMLDivElement>(null);
    const [tilesWidth, setTilesWidth] = useState(0);

    const inRoom = view.phase === "joined" || view.phase === "reconnecting" || view.phase === "joining";
    const media = useLocalMedia(inRoom, (stream) => roomSession.current?.setLocalStream(stream));
    const recording = useRecording({
        rpc: api.recordings,
        selfId,
        roomId: view.room?.id,
        joined: view.phase === "joined",
        inRoom: view.phase === "joined" || view.phase === "reconnecting",
        stream: media.stream,
    });
    const recordingRef = useRef(recording.controller);
    recordingRef.current = recording.controller;
    const stopMedia = useRef(media.stop);
    stopMedia.current = media.stop;

    useEffect(() => {
        if (!selfId) return;
        // Removed or closed: the camera and microphone stop now, not after the next render's effects.
        const onView = (next: RoomView) => {
            if (next.phase === "removed" || next.phase === "closed") stopMedia.current();
            setView(next);
        };
        const s = new RoomSession({ api, connection, bookingId, selfId, dispatch, state: () => stateRef.current, onView,
            onRoomEvent: (event) => recordingRef.current?.roomEvent(event) });
        roomSession.current = s;
        s.start();
        return () => {
            s.dispose();
            roomSession.current = undefined;
        };
    }, [api, connection, bookingId, selfId]);

    useEffect(() => {
        if (media.stream) roomSession.current?.setLocalStream(media.stream);
    }, [media.stream]);

    const me = state.participants.find((p) => p.userId === selfId);
    const mentor = state.participants.find((p) => p.role === "mentor");
    useEffect(() => {
        if (!mentor || mentor.userId === selfId) return;
        api.mentors.get({ mentorId: mentor.userId }).then((r) => setMentorName(r.mentor.name), () => undefined);
    }, [api, mentor?.userId, selfId]);

    // The mentor muted this user: the microphone goes off here too (the server refuses chat and offers meanwhile).
    const mutedByMentor = me?.muted ?? false;
    useEffect(() => {
        if (mutedByMentor) media.setMic(false);
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [mutedByMentor]);

    // The grid's columns follow its width (a phone shows two columns, a desktop up to four).
    useEffect(() => {
        const element = tiles.current;
        if (!element || typeof ResizeObserver === "undefined") return;
        const observer = new ResizeObserver((entries) => setTilesWidth(entries[0]?.contentRect.width ?? 0));
        observer.observe(element);
        setTilesWidth(element.getBoundingClientRect().width);
        return () => observer.disconnect();
    }, [inRoom]);

    const typingIds = typingNow(state, selfId, now);
    useEffect(() => {
        if (Object.keys(state.typing).length === 0) return;
        const timer = setInterval(() => setNow(Date.now()), TYPING_TICK_MS);
        return () => clearInterval(timer);
    }, [state.typing]);

    const mentees = state.participants.filter((p) => p.role !== "mentor");
    const nameOf = (userId: string): string => {
        const id = idOf(userId);
        if (id === selfId) return "You";
        const p = state.participants.find((x) => x.userId === id);
        if (p?.role === "mentor") return mentorName ?? "Mentor";
        if (mentees.length <= 1) return "Mentee";
        return `Participant ${mentees.findIndex((x) => x.userId === id) + 2}`;
    };
    const isGroupMentor = view.room?.kind === "group" && mentor?.userId === selfId;
    const leave = () => {
        roomSession.current?.leave();
        media.stop();
    };

    return (
        <div className="room">
            <header className="room-head">
                <h1>Session room</h1>
                {view.room ? (
                    <p>
                        <time dateTime={view.room.startsAt}>{formatLocal(view.room.startsAt)}</time> –{" "}
                        <time dateTime={view.room.endsAt}>{formatLocal(view.room.endsAt, { hour: "2-digit", minute: "2-digit" })}</time>
                    </p>
                ) : null}
                <p role="status" className={view.phase === "reconnecting" ? "notice" : "room-phase"} data-phase={view.phase}>
                    {PHASE_TEXT[view.phase]}
                </p>
                {view.notice ? <p className="notice">{view.notice}</p> : null}
                {view.error && view.phase !== "removed" ? <ErrorMessage error={view.error} /> : null}
                {mutedByMentor ? <p role="alert" className="notice">The mentor muted you: your microphone and chat are off.</p> : null}
                <RecordingBar
                    view={recording.view}
                    isMentor={!!mentor && mentor.userId === selfId}
                    canAct={view.phase === "joined"}
                    onStart={() => void recording.controller?.start()}
                    onStop={() => void recording.controller?.stop()}
                />
            </header>
            {inRoom ? (
                <div className="room-layout">
                    <div className="stage">
                        <div className="tiles" ref={tiles} data-cols={tileColumns(view.remotes.length + 1, tilesWidth)} data-topology={view.topology}>
                            <Video
                                stream={media.stream}
                                label="Your camera"
                                self
                                userId={selfId}
                                speaking={view.speaker === selfId}
                                caption={media.error ?? (media.cameraOn ? undefined : "camera off")}
                            />
                            {view.remotes.map((r) => (
                                <Video
                                    key={r.userId}
                                    stream={r.stream}
                                    userId={r.userId}
                                    speaking={view.speaker === r.userId}
                                    label={`Camera of ${nameOf(r.userId)}`}
                                    caption={r.state}
                                />
                            ))}
                        </div>
                        <DeviceControls media={media} mutedByMentor={mutedByMentor} onLeave={leave} />
                    </div>
                    <aside className="room-side">
                        <Participants
                            participants={state.participants}
                            selfId={selfId}
                            nameOf={nameOf}
                            moderate={isGroupMentor ? (action, userId) => roomSession.current?.moderate(action, userId) ?? Promise.resolve() : undefined}
                        />
                        <Chat
                            messages={state.messages}
                            nameOf={nameOf}
                            typing={typingIds}
                            canSend={view.phase === "joined" && !mutedByMentor}
                            onSend={(text) => roomSession.current?.send(text) ?? Promise.resolve()}
                            onTyping={() => roomSession.current?.typing()}
                        />
                    </aside>
                </div>
            ) : (
                <div className="room-after">
                    {view.phase === "left" ? (
                        <button type="button" className="primary" onClick={() => roomSession.current?.rejoin()}>
                            Rejoin
                        </button>
                    ) : null}
                    {view.phase === "failed" && view.error ? <p>{errorText(view.error)}</p> : null}
                    <p>
                        <Link to="/sessions">Back to my sessions</Link>
                    </p>
                    {state.messages.length > 0 ? (
                        <Chat messages={state.messages} nameOf={nameOf} typing={[]} canSend={false} onSend={() => Promise.resolve()} onTyping={() => undefined} />
                    ) : null}
                </div>
            )}
        </div>
    );
}

import type { Api, RoomsJoinResult } from "../../api";
import type { Connection, ConnectionEvent } from "../../rpc/Connection";
import { backoffDelay, type BackoffOptions } from "../../rpc/backoff";
import { RpcError } from "../../rpc/RpcError";
import { ActiveSpeaker } from "./activeSpeaker";
import { PeerMesh, type RemotePeer } from "./PeerMesh";
import { SfuRoom } from "./sfu/SfuRoom";
import { asRoomEvent, idOf, lastSeq, type RoomAction, type RoomState } from "./roomState";
import type { SignalPayload } from "./signaling";

/** Where the page stands with the room. */
export type RoomPhase = "joining" | "joined" | "reconnecting" | "left" | "removed" | "closed" | "failed";

/** What the page shows besides the reducer's state. */
export interface RoomView {
    phase: RoomPhase;
    room?: RoomsJoinResult["room"];
    meshCap: number;
    /** `mesh` (a connection per other participant) or `sfu` (publish to and receive from Janus), by `rooms.join`. */
    topology: "mesh" | "sfu";
    remotes: RemotePeer[];
    /** Who speaks now (the loudest, by audio levels), this user included. */
    speaker?: string;
    /** Why the room could not be joined or went away. */
    error?: unknown;
    /** A passing remark (e.g. the mesh is full). */
    notice?: string;
}

/** What a room session needs from the page. */
export interface RoomSessionOptions {
    api: Api;
    connection: Connection;
    bookingId: string;
    selfId: string;
    /** The reducer's dispatch (chat, presence, typing). */
    dispatch(action: RoomAction): void;
    /** The current reducer state (for the last seq known). */
    state(): RoomState;
    /** The view changed. */
    onView(view: RoomView): void;
    /** Every event on the room's channel, as it came (recording pushes go to the recording). */
    onRoomEvent?(event: unknown): void;
}

/** Send a typing event at most this often. */
const TYPING_EVERY_MS = 3_000;
/** Someone who arrives offers to those in the room; the ones there connect themselves only if no offer came by then. */
const ARRIVAL_OFFER_WAIT_MS = 1_500;
/** Read at most this many pages of history when catching up after a reconnect. */
const MAX_HISTORY_PAGES = 10;
/** Audio levels are sampled this often for the active speaker. */
const SPEAKER_SAMPLE_MS = 400;
/** After the SFU connection broke: rejoin (a fresh token) after 1 s, doubling to 10 s. */
const SFU_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 10_000, factor: 2, jitter: 0.3 };

type SfuAccess = NonNullable<RoomsJoinResult["sfu"]>;

/** The test hook: connection states and decoded frames of the room on this page. */
interface RoomProbe {
    topology(): "mesh" | "sfu";
    /** Per remote participant (user id): the connection receiving them. */
    connectionStates(): Record<string, RTCPeerConnectionState>;
    /** Per remote participant (user id): video frames decoded so far. */
    framesDecoded(): Promise<Record<string, number>>;
    /** The active speaker's user id. */
    speaker(): string | undefined;
    /** The SFU's publisher connection (`none` in a mesh). */
    publisherState(): RTCPeerConnectionState | "none";
    /** The VideoRoom and this page's feed id (none in a mesh). */
    sfu(): { room: string; participantId: string } | undefined;
    trace(): string[];
}
declare global {
    interface Window {
        __mentorlinkRoom?: RoomProbe;
    }
}

/**
 * One page's presence in a session's room: joins over the tab's WebSocket (`rooms.join` opens the room's and the
 * direct channel's subscriptions), loads the chat history, keeps a WebRTC mesh with the other participants (signals
 * over `rooms.signal`), and follows the socket: when it drops the room is offline, when it is back the room is
 * joined again (new subscriptions), missed messages are read from the history, and the connections are negotiated
 * afresh (the others closed theirs when we left).
 *
 * A group bigger than the mesh (`topology: "sfu"`) publishes to and receives from the room on Janus (`SfuRoom`)
 * instead: the SFU connection survives the RPC socket's reconnects; when it breaks itself the room is joined again
 * for a fresh token and the SFU reconnected, with backoff; a kick from the SFU is a removal.
 */
export class RoomSession {
    private readonly o: RoomSessionOptions;
    private view: RoomView = { phase: "joining", meshCap: 0, topology: "mesh", remotes: [] };
    private mesh: PeerMesh | undefined;
    private sfu: SfuRoom | undefined;
    private sfuAccess: SfuAccess | undefined;
    private sfuAttempts = 0;
    private sfuRetry: ReturnType<typeof setTimeout> | undefined;
    private readonly speakers = new ActiveSpeaker();
    private speakerTimer: ReturnType<typeof setInterval> | undefined;
    private local: MediaStream | undefined;
    private detach: (() => void) | undefined;
    private subscriptions: string[] = [];
    private unlisten: (() => void) | undefined;
    private joinedOnce = false;
    private lastTyping = 0;
    private disposed = false;

    constructor(options: RoomSessionOptions) {
        this.o = options;
    }

    /** Joins, and follows the socket until `dispose`. */
    start(): void {
        this.unlisten = this.o.connection.listen((event) => this.connectionEvent(event));
        void this.join();
    }

    /** The camera and microphone to send (or none). */
    setLocalStream(stream: MediaStream | undefined): void {
        this.local = stream;
        this.mesh?.setLocalStream(stream);
        this.sfu?.setLocalStream(stream);
    }

    /** Sends a chat message; resolves when the server numbered it. */
    async send(text: string): Promise<void> {
        const room = this.view.room;
        if (!room) return;
        const { message } = await this.o.api.rooms.send({ roomId: room.id, text });
        this.o.dispatch({ type: "sent", message });
    }

    /** Tells the room this user is typing (at most every 3 s). */
    typing(): void {
        const room = this.view.room;
        const now = Date.now();
        if (!room || this.view.phase !== "joined" || now - this.lastTyping < TYPING_EVERY_MS) return;
        this.lastTyping = now;
        this.o.api.rooms.typing({ roomId: room.id }).catch(() => undefined);
    }

    /** The group's mentor mutes or removes a participant. */
    async moderate(action: "mute" | "remove", userId: string): Promise<void> {
        const room = this.view.room;
        if (!room) return;
        if (action === "mute") await this.o.api.rooms.mute({ roomId: room.id, userId });
        else await this.o.api.rooms.remove({ roomId: room.id, userId });
    }

    /** Leaves: `bye` to every peer, the room's subscriptions end (the others see presence.left). */
    leave(): void {
        this.tearDown();
        this.update({ phase: "left", remotes: [], speaker: undefined });
    }

    /** Joins again after leaving. */
    rejoin(): void {
        this.update({ phase: "joining", error: undefined });
        void this.join();
    }

    /** The page goes away. */
    dispose(): void {
        this.tearDown();
        this.unlisten?.();
        this.disposed = true;
    }

    private async join(): Promise<void> {
        if (this.disposed) return;
        if (this.o.connection.currentState === "waiting") return; // joined when the socket is back (rooms.join needs it)
        let result: RoomsJoinResult;
        try {
            result = await this.o.api.rooms.join({ bookingId: this.o.bookingId });
        } catch (error) {
            if (this.disposed) return;
            if (error instanceof RpcError && (error.reason === "connection_lost" || error.reason === "timeout")) {
                this.update({ phase: "reconnecting" });
                return;
            }
            if (this.sfuAttempts > 0 && error instanceof RpcError && error.reason === "unavailable") {
                this.scheduleSfuRetry(); // the SFU is down for now: keep trying, chat goes on meanwhile
                return;
            }
            const phase = error instanceof RpcError && error.reason === "room_closed" ? "closed" : error instanceof RpcError && error.reason === "forbidden" ? "removed" : "failed";
            this.update({ phase, error });
            return;
        }
        if (this.disposed || this.view.phase === "left") return;
        const rejoin = this.joinedOnce;
        this.joinedOnce = true;
        // The mesh and the view are ready before the subscriptions are attached: events and signals that arrived
        // before this answer (someone who saw our presence.joined may have sent an offer already) are delivered on
        // attach, and must find the connections to go to.
        this.o.dispatch({ type: "joined", participants: result.participants });
        const iceServers = result.iceServers.map((s) => ({ urls: s.urls, username: s.username, credential: s.credential }));
        if (result.topology === "sfu" && result.sfu) {
            this.mesh?.close();
            this.mesh = undefined;
            this.update({ phase: "joined", room: result.room, meshCap: result.meshCap, topology: "sfu", error: undefined, notice: undefined });
            this.connectSfu(result.sfu, iceServers);
        } else {
            this.closeSfu();
            if (!this.mesh) {
                this.mesh = new PeerMesh({
                    selfId: idOf(this.o.selfId),
                    iceServers,
                    send: (to, payload) => this.signal(to, payload),
                    onChange: () => this.update({ remotes: this.mesh?.remotes() ?? [] }),
                });
                this.mesh.setLocalStream(this.local);
                this.installMeshProbe(this.mesh);
            } else {
                this.mesh.setIceServers(iceServers);
            }
            this.update({ phase: "joined", room: result.room, meshCap: result.meshCap, topology: "mesh", error: undefined, notice: undefined });
            const others = result.participants
                .filter((p) => p.online && idOf(p.userId) !== idOf(this.o.selfId))
                .map((p) => idOf(p.userId))
                .sort()
                .slice(0, Math.max(0, result.meshCap - 1));
            if (rejoin) this.mesh.restart(others);
            else for (const id of others) this.mesh.connect(id);
        }
        this.startSpeakerLoop();
        this.detach?.();
        this.subscriptions = [result.subscription, result.directSubscription];
        this.detach = this.o.connection.attach(this.subscriptions, {
            onEvent: (event, _seq, serverId) => (serverId === result.directSubscription ? this.direct(event) : this.roomEvent(event)),
            onEnded: (reason) => this.ended(reason),
        });
        await this.catchUp(result.room.id);
    }

    /** Reads the history back to the last message known (all of it the first time, up to 10 pages). */
    private async catchUp(roomId: string): Promise<void> {
        const known = lastSeq(this.o.state().messages);
        let beforeSeq: number | undefined;
        for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
            let answer;
            try {
                answer = await this.o.api.rooms.history({ roomId, beforeSeq, limit: 50 });
            } catch {
                return; // the next reconnect catches up again
            }
            this.o.dispatch({ type: "history", items: answer.items });
            const oldest = answer.items[answer.items.length - 1]?.seq;
            if (answer.nextBeforeSeq === undefined || oldest === undefined || oldest <= known + 1 || known === 0) return;
            beforeSeq = answer.nextBeforeSeq;
        }
    }

    private roomEvent(value: unknown): void {
        this.o.onRoomEvent?.(value);
        const event = asRoomEvent(value);
        if (!event) return;
        this.o.dispatch({ type: "event", event, at: Date.now() });
        const self = idOf(this.o.selfId);
        if (!("userId" in event)) return;
        const who = idOf(event.userId);
        if (who === self) return;
        if (event.type === "presence.joined" && this.mesh && this.mesh.size < this.view.meshCap - 1) this.mesh.connectSoon(who, ARRIVAL_OFFER_WAIT_MS, () =>
                this.o.state().participants.some((p) => p.userId === who && p.online && !p.removed),
            );
        if (event.type === "presence.left" || event.type === "participant.removed") this.mesh?.disconnect(who, false);
        if (event.type === "participant.removed") this.sfu?.drop(who);
    }

    private direct(value: unknown): void {
        if (typeof value !== "object" || value === null) return;
        const e = value as { type?: unknown; from?: unknown; payload?: unknown };
        if (e.type === "signal" && typeof e.from === "string") this.mesh?.receive(idOf(e.from), e.payload);
    }

    private ended(reason: string): void {
        if (reason === "rejoined") return; // our own second join replaced the first
        this.tearDown(false);
        this.update({ phase: reason === "removed" || reason === "forbidden" ? "removed" : "closed", remotes: [], speaker: undefined });
    }

    private async signal(to: string, payload: SignalPayload): Promise<void> {
        const room = this.view.room;
        if (!room) return;
        try {
            await this.o.api.rooms.signal({ roomId: room.id, to, payload });
        } catch (error) {
            if (error instanceof RpcError && error.reason === "mesh_full") this.update({ notice: `Video is limited to ${this.view.meshCap} people in a room.` });
        }
    }

    private connectionEvent(event: ConnectionEvent): void {
        if (event.type !== "state" || this.disposed) return;
        if (event.state === "waiting" && (this.view.phase === "joined" || this.view.phase === "joining")) {
            this.o.dispatch({ type: "offline" });
            this.update({ phase: "reconnecting" });
        } else if (event.state === "open" && this.view.phase === "reconnecting") {
            void this.join();
        }
    }

    private tearDown(unsubscribe = true): void {
        this.mesh?.close();
        this.mesh = undefined;
        this.closeSfu();
        this.sfuAttempts = 0;
        clearInterval(this.speakerTimer);
        this.speakerTimer = undefined;
        if (window.__mentorlinkRoom) delete window.__mentorlinkRoom;
        this.detach?.();
        this.detach = undefined;
        if (unsubscribe) {
            for (const subscription of this.subscriptions) this.o.api.notifications.unsubscribe({ subscription }).catch(() => undefined);
        }
        this.subscriptions = [];
        this.joinedOnce = false;
    }

    // MARK: SFU

    /** Connects to the room on the SFU, unless connected already with the same access (a rejoin of the RPC socket). */
    private connectSfu(access: SfuAccess, iceServers: RTCIceServer[]): void {
        const same = this.sfuAccess;
        if (this.sfu && same && same.room === access.room && same.token === access.token && same.participantId === access.participantId) return;
        this.closeSfu();
        const url = new URL(access.url, window.location.href);
        url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
        const sfu: SfuRoom = new SfuRoom({
            url: url.toString(),
            room: access.room,
            token: access.token,
            participantId: idOf(access.participantId),
            iceServers,
            onChange: () => {
                if (this.sfu === sfu) this.update({ remotes: sfu.remotes() });
                if (this.sfu === sfu && sfu.publisherState() === "connected") this.sfuAttempts = 0;
            },
            onKicked: () => {
                if (this.sfu !== sfu) return;
                this.tearDown();
                this.update({ phase: "removed", remotes: [], speaker: undefined });
            },
            onLost: (reason) => this.sfuLost(sfu, reason),
        });
        this.sfu = sfu;
        this.sfuAccess = access;
        sfu.setLocalStream(this.local);
        this.installSfuProbe(sfu);
        sfu.start();
    }

    /** The SFU connection broke: the room is joined again (a fresh token, the Janus room recreated if need be). */
    private sfuLost(sfu: SfuRoom, reason: string): void {
        if (this.sfu !== sfu || this.disposed) return;
        this.closeSfu();
        this.update({ remotes: [], notice: "The video connection was lost: reconnecting…" });
        console.warn(`sfu: ${reason}`);
        this.scheduleSfuRetry();
    }

    private scheduleSfuRetry(): void {
        clearTimeout(this.sfuRetry);
        const delay = backoffDelay(this.sfuAttempts++, SFU_BACKOFF);
        this.sfuRetry = setTimeout(() => {
            this.sfuRetry = undefined;
            if (!this.disposed && (this.view.phase === "joined" || this.view.phase === "joining")) void this.join();
        }, delay);
    }

    private closeSfu(): void {
        clearTimeout(this.sfuRetry);
        this.sfuRetry = undefined;
        this.sfu?.close();
        this.sfu = undefined;
        this.sfuAccess = undefined;
    }

    // MARK: Active speaker and the test probe

    private startSpeakerLoop(): void {
        if (this.speakerTimer !== undefined) return;
        let busy = false;
        this.speakerTimer = setInterval(() => {
            const source = this.sfu ?? this.mesh;
            if (busy || !source) return;
            busy = true;
            source
                .levels()
                .then((levels) => {
                    const speaker = this.speakers.update(levels, Date.now());
                    if (speaker !== this.view.speaker) this.update({ speaker });
                })
                .catch(() => undefined)
                .finally(() => (busy = false));
        }, SPEAKER_SAMPLE_MS);
    }

    private installMeshProbe(mesh: PeerMesh): void {
        window.__mentorlinkRoom = {
            topology: () => "mesh",
            connectionStates: () => Object.fromEntries(mesh.remotes().map((r) => [r.userId, r.state])),
            framesDecoded: () => mesh.framesDecoded(),
            speaker: () => this.view.speaker,
            publisherState: () => "none",
            sfu: () => undefined,
            trace: () => mesh.trace(),
        };
    }

    private installSfuProbe(sfu: SfuRoom): void {
        window.__mentorlinkRoom = {
            topology: () => "sfu",
            connectionStates: () => sfu.connectionStates(),
            framesDecoded: () => sfu.framesDecoded(),
            speaker: () => this.view.speaker,
            publisherState: () => sfu.publisherState(),
            sfu: () => (this.sfuAccess ? { room: this.sfuAccess.room, participantId: idOf(this.sfuAccess.participantId) } : undefined),
            trace: () => sfu.trace(),
        };
    }

    private update(change: Partial<RoomView>): void {
        if (this.disposed) return;
        this.view = { ...this.view, ...change };
        this.o.onView(this.view);
    }
}

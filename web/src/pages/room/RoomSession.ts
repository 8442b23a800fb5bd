import type { Api, RoomsJoinResult } from "../../api";
import type { Connection, ConnectionEvent } from "../../rpc/Connection";
import { RpcError } from "../../rpc/RpcError";
import { PeerMesh, type RemotePeer } from "./PeerMesh";
import { asRoomEvent, idOf, lastSeq, type RoomAction, type RoomState } from "./roomState";
import type { SignalPayload } from "./signaling";

/** Where the page stands with the room. */
export type RoomPhase = "joining" | "joined" | "reconnecting" | "left" | "removed" | "closed" | "failed";

/** What the page shows besides the reducer's state. */
export interface RoomView {
    phase: RoomPhase;
    room?: RoomsJoinResult["room"];
    meshCap: number;
    remotes: RemotePeer[];
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

/** The test hook: connection states and decoded frames of the room on this page. */
interface RoomProbe {
    connectionStates(): Record<string, RTCPeerConnectionState>;
    framesDecoded(): Promise<Record<string, number>>;
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
 */
export class RoomSession {
    private readonly o: RoomSessionOptions;
    private view: RoomView = { phase: "joining", meshCap: 0, remotes: [] };
    private mesh: PeerMesh | undefined;
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
        this.update({ phase: "left", remotes: [] });
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
        if (!this.mesh) {
            this.mesh = new PeerMesh({
                selfId: idOf(this.o.selfId),
                iceServers,
                send: (to, payload) => this.signal(to, payload),
                onChange: () => this.update({ remotes: this.mesh?.remotes() ?? [] }),
            });
            this.mesh.setLocalStream(this.local);
            this.installProbe(this.mesh);
        } else {
            this.mesh.setIceServers(iceServers);
        }
        this.update({ phase: "joined", room: result.room, meshCap: result.meshCap, error: undefined, notice: undefined });
        const others = result.participants
            .filter((p) => p.online && idOf(p.userId) !== idOf(this.o.selfId))
            .map((p) => idOf(p.userId))
            .sort()
            .slice(0, Math.max(0, result.meshCap - 1));
        if (rejoin) this.mesh.restart(others);
        else for (const id of others) this.mesh.connect(id);
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
    }

    private direct(value: unknown): void {
        if (typeof value !== "object" || value === null) return;
        const e = value as { type?: unknown; from?: unknown; payload?: unknown };
        if (e.type === "signal" && typeof e.from === "string") this.mesh?.receive(idOf(e.from), e.payload);
    }

    private ended(reason: string): void {
        if (reason === "rejoined") return; // our own second join replaced the first
        this.tearDown(false);
        this.update({ phase: reason === "removed" || reason === "forbidden" ? "removed" : "closed", remotes: [] });
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
        if (window.__mentorlinkRoom) delete window.__mentorlinkRoom;
        this.detach?.();
        this.detach = undefined;
        if (unsubscribe) {
            for (const subscription of this.subscriptions) this.o.api.notifications.unsubscribe({ subscription }).catch(() => undefined);
        }
        this.subscriptions = [];
        this.joinedOnce = false;
    }

    private installProbe(mesh: PeerMesh): void {
        window.__mentorlinkRoom = {
            connectionStates: () => Object.fromEntries(mesh.remotes().map((r) => [r.userId, r.state])),
            framesDecoded: () => mesh.framesDecoded(),
            trace: () => mesh.trace(),
        };
    }

    private update(change: Partial<RoomView>): void {
        if (this.disposed) return;
        this.view = { ...this.view, ...change };
        this.o.onView(this.view);
    }
}

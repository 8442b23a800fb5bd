import { asSignal, isPolite, routeSignal, type SignalPayload } from "./signaling";

/** One remote participant's connection, as the page shows it. */
export interface RemotePeer {
    userId: string;
    stream: MediaStream;
    state: RTCPeerConnectionState;
}

/** Settings of a mesh. */
export interface MeshOptions {
    selfId: string;
    iceServers: RTCIceServer[];
    /** Sends a payload to one participant (`rooms.signal`). */
    send(to: string, payload: SignalPayload): Promise<unknown>;
    /** Something the page shows changed (a track, a state, a peer). */
    onChange(): void;
    createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

interface Peer {
    userId: string;
    pc: RTCPeerConnection;
    localId: string;
    remoteId?: string;
    polite: boolean;
    makingOffer: boolean;
    ignoreOffer: boolean;
    settingAnswer: boolean;
    stream: MediaStream;
    /** Sends to this peer one after another, so the server publishes them in order (offer before its candidates). */
    outbox: Promise<unknown>;
}

/** A connection not connected this long (plus up to a second of jitter) is started over, at most `MAX_RETRIES` times. */
const CONNECT_WITHIN_MS = 6_000;
const MAX_RETRIES = 3;
/** The most trace lines kept. */
const TRACE_LINES = 200;

const randomId = (): string => Math.random().toString(36).slice(2, 10) + Date.now().toString(36);

/**
 * A full mesh of WebRTC connections, one per other participant, negotiated with the "perfect negotiation" pattern
 * (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example): whichever side needs negotiation offers; on glare the
 * polite peer (by comparing user ids) rolls back and answers, the impolite one ignores the colliding offer. Signals
 * go through `send` in order per peer, and come in through `receive`, one at a time.
 */
export class PeerMesh {
    private readonly peers = new Map<string, Peer>();
    private readonly options: MeshOptions;
    private iceServers: RTCIceServer[];
    private local: MediaStream | undefined;
    private inbox: Promise<void> = Promise.resolve();
    private closed = false;
    private readonly traceLines: string[] = [];
    private readonly retries = new Map<string, number>();

    constructor(options: MeshOptions) {
        this.options = options;
        this.iceServers = options.iceServers;
    }

    /** The remote participants with their streams and connection states. */
    remotes(): RemotePeer[] {
        return [...this.peers.values()].map((p) => ({ userId: p.userId, stream: p.stream, state: p.pc.connectionState }));
    }

    /** The number of connections (the mesh cap counts them). */
    get size(): number {
        return this.peers.size;
    }

    /** ICE servers for connections made from now on (`rooms.join` gives fresh TURN credentials). */
    setIceServers(servers: RTCIceServer[]): void {
        this.iceServers = servers;
    }

    /** The camera and microphone to send (tracks are added to every connection, or replaced in place). */
    setLocalStream(stream: MediaStream | undefined): void {
        this.local = stream;
        for (const peer of this.peers.values()) this.sendTracks(peer);
    }

    /** Connects to `userId` unless connected already. */
    connect(userId: string): void {
        if (this.closed || userId === this.options.selfId || this.peers.has(userId)) return;
        this.create(userId, undefined);
    }

    /**
     * Connects to `userId` after `delayMs` unless a connection exists by then: someone who just arrived offers to
     * those already in the room, so the ones there wait for that offer instead of colliding with it.
     */
    connectSoon(userId: string, delayMs: number, stillWanted: () => boolean): void {
        setTimeout(() => {
            if (stillWanted()) this.connect(userId);
        }, delayMs);
    }

    /** Ends the connection with `userId` (telling them with `bye` when `tell`). */
    disconnect(userId: string, tell: boolean): void {
        const peer = this.peers.get(userId);
        if (!peer) return;
        if (tell) this.post(peer, { type: "bye", s: peer.localId });
        this.drop(peer);
    }

    /** Closes every connection and starts new ones with `userIds` (after a rejoin: the others dropped ours). */
    restart(userIds: readonly string[]): void {
        for (const peer of [...this.peers.values()]) this.drop(peer);
        for (const id of userIds) this.connect(id);
    }

    /** Ends everything (leaving): `bye` to each peer, then closes. */
    close(): void {
        for (const peer of [...this.peers.values()]) this.disconnect(peer.userId, true);
        this.closed = true;
    }

    /** A `signal` event from `from`; handled in arrival order. */
    receive(from: string, value: unknown): void {
        const payload = asSignal(value);
        if (!payload || this.closed || from === this.options.selfId) return;
        this.inbox = this.inbox.then(() => this.handle(from, payload)).catch(() => undefined);
    }

    /** What happened lately (signals in and out, states), for tests and diagnostics. */
    trace(): string[] {
        return [...this.traceLines];
    }

    /** Decoded video frames per remote participant (from `getStats`), for tests and diagnostics. */
    async framesDecoded(): Promise<Record<string, number>> {
        const result: Record<string, number> = {};
        for (const peer of this.peers.values()) {
            let frames = 0;
            const stats = await peer.pc.getStats();
            stats.forEach((report: { type?: string; kind?: string; framesDecoded?: number }) => {
                if (report.type === "inbound-rtp" && report.kind === "video") frames += report.framesDecoded ?? 0;
            });
            result[peer.userId] = frames;
        }
        return result;
    }

    /** Audio levels (0..1) per remote participant, and this page's own (what it sends) under `selfId`. */
    async levels(): Promise<Record<string, number>> {
        const result: Record<string, number> = {};
        let own = 0;
        for (const peer of [...this.peers.values()]) {
            let level = 0;
            (await peer.pc.getStats()).forEach((report: { type?: string; kind?: string; audioLevel?: number }) => {
                if (report.kind !== "audio" || typeof report.audioLevel !== "number") return;
                if (report.type === "inbound-rtp") level = Math.max(level, report.audioLevel);
                if (report.type === "media-source") own = Math.max(own, report.audioLevel);
            });
            result[peer.userId] = level;
        }
        const micOn = this.local?.getAudioTracks().some((t) => t.enabled) ?? false;
        result[this.options.selfId] = micOn ? own : 0;
        return result;
    }

    private async handle(from: string, payload: SignalPayload): Promise<void> {
        let peer = this.peers.get(from);
        const route = routeSignal(payload, peer);
        this.note(`in ${payload.type} from ${from} s=${payload.s} t=${payload.t ?? "-"}: ${route}`);
        if (route === "drop") return;
        if (payload.type === "bye") {
            if (peer) this.drop(peer);
            return;
        }
        if (route === "restart" && peer) this.drop(peer);
        if (route === "restart" || route === "create") peer = this.create(from, payload.s, false);
        if (!peer) return;
        peer.remoteId = payload.s;
        const pc = peer.pc;
        if (payload.type === "candidate") {
            try {
                await pc.addIceCandidate(payload.candidate);
            } catch (error) {
                if (!peer.ignoreOffer) throw error;
            }
            return;
        }
        const readyForOffer = !peer.makingOffer && (pc.signalingState === "stable" || peer.settingAnswer);
        const collision = payload.type === "offer" && !readyForOffer;
        peer.ignoreOffer = !peer.polite && collision;
        if (peer.ignoreOffer) return;
        await this.apply(peer, payload);
    }

    /** Applies a remote description (an offer is answered). */
    private async apply(peer: Peer, payload: SignalPayload & { type: "offer" | "answer" }): Promise<void> {
        const pc = peer.pc;
        peer.settingAnswer = payload.type === "answer";
        await pc.setRemoteDescription({ type: payload.type, sdp: payload.sdp });
        peer.settingAnswer = false;
        if (payload.type === "offer") {
            this.sendTracks(peer); // on the offered transceivers: the answer carries them, no second negotiation
            await pc.setLocalDescription();
            const answer = pc.localDescription;
            if (answer) this.post(peer, { type: "answer", sdp: answer.sdp, s: peer.localId, t: peer.remoteId });
        }
    }

    /**
     * A new connection. One made to answer an offer gets its tracks once the offer is applied (`withTracks` false):
     * tracks added first make it negotiate an offer of its own that races the remote one.
     */
    private create(userId: string, remoteId: string | undefined, withTracks = true): Peer {
        const make = this.options.createPeerConnection ?? ((config: RTCConfiguration) => new RTCPeerConnection(config));
        const pc = make({ iceServers: this.iceServers });
        const peer: Peer = {
            userId,
            pc,
            localId: randomId(),
            remoteId,
            polite: isPolite(this.options.selfId, userId),
            makingOffer: false,
            ignoreOffer: false,
            settingAnswer: false,
            stream: new MediaStream(),
            outbox: Promise.resolve(),
        };
        this.peers.set(userId, peer);
        const current = () => this.peers.get(userId) === peer;
        pc.onnegotiationneeded = async () => {
            if (!current()) return;
            try {
                peer.makingOffer = true;
                await pc.setLocalDescription();
                const offer = pc.localDescription;
                if (offer && offer.type === "offer" && current()) this.post(peer, { type: "offer", sdp: offer.sdp, s: peer.localId, t: peer.remoteId });
            } catch {
                // A description applied meanwhile; negotiation runs again when still needed.
            } finally {
                peer.makingOffer = false;
            }
        };
        pc.onicecandidate = ({ candidate }) => {
            if (candidate && current()) this.post(peer, { type: "candidate", candidate: candidate.toJSON(), s: peer.localId, t: peer.remoteId });
        };
        pc.ontrack = ({ track }) => {
            for (const old of peer.stream.getTracks()) if (old.kind === track.kind && old !== track) peer.stream.removeTrack(old);
            peer.stream.addTrack(track);
            this.options.onChange();
        };
        const watchdog = setTimeout(() => {
            if (!current() || pc.connectionState === "connected" || this.closed) return;
            const tries = this.retries.get(userId) ?? 0;
            if (tries >= MAX_RETRIES) return;
            this.retries.set(userId, tries + 1);
            this.note(`${userId} not connected in time (${pc.connectionState}, ${pc.signalingState}): starting over`);
            this.drop(peer);
            this.connect(userId);
        }, CONNECT_WITHIN_MS + Math.random() * 1_000);
        pc.onconnectionstatechange = () => {
            this.note(`${userId} ${pc.connectionState}`);
            if (pc.connectionState === "connected") this.retries.delete(userId);
            if (pc.connectionState === "closed") clearTimeout(watchdog);
            if (pc.connectionState === "failed") pc.restartIce();
            this.options.onChange();
        };
        if (withTracks) this.sendTracks(peer);
        this.options.onChange();
        return peer;
    }

    private sendTracks(peer: Peer): void {
        const tracks = this.local?.getTracks() ?? [];
        const senders = peer.pc.getSenders();
        for (const track of tracks) {
            const sender = senders.find((s) => s.track?.kind === track.kind || (s.track === null && senderKind(peer.pc, s) === track.kind));
            if (sender) {
                if (sender.track !== track) void sender.replaceTrack(track).catch(() => undefined);
                // A transceiver made by the remote's offer is recvonly, and replaceTrack does not change that: without
                // this the answering side of every connection sent nothing. Set before the answer, it goes in the
                // answer; later (the camera came up after answering) it renegotiates, as perfect negotiation does.
                const transceiver = peer.pc.getTransceivers().find((t) => t.sender === sender);
                if (transceiver && transceiver.direction === "recvonly") transceiver.direction = "sendrecv";
            } else if (this.local) {
                peer.pc.addTrack(track, this.local);
            }
        }
    }

    private post(peer: Peer, payload: SignalPayload): void {
        this.note(`out ${payload.type} to ${peer.userId} s=${payload.s} t=${"t" in payload ? (payload.t ?? "-") : "-"}`);
        peer.outbox = peer.outbox.then(() => this.options.send(peer.userId, payload)).catch(() => undefined);
    }

    private note(line: string): void {
        this.traceLines.push(`${Math.round(performance.now())} ${line}`);
        if (this.traceLines.length > TRACE_LINES) this.traceLines.shift();
    }

    private drop(peer: Peer): void {
        this.note(`drop ${peer.userId} ${peer.localId}`);
        if (this.peers.get(peer.userId) === peer) this.peers.delete(peer.userId);
        peer.pc.onnegotiationneeded = null;
        peer.pc.onicecandidate = null;
        peer.pc.ontrack = null;
        peer.pc.onconnectionstatechange = null;
        peer.pc.close();
        this.options.onChange();
    }
}

/** The media kind a sender was made for (its transceiver's receiver track tells, when the sender has no track). */
function senderKind(pc: RTCPeerConnection, sender: RTCRtpSender): string | undefined {
    return pc.getTransceivers().find((t) => t.sender === sender)?.receiver.track.kind;
}

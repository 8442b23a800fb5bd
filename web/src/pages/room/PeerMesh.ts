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

    private async handle(from: string, payload: SignalPayload): Promise<void> {
        let peer = this.peers.get(from);
        const route = routeSignal(payload, peer);
        if (route === "drop") return;
        if (payload.type === "bye") {
            if (peer) this.drop(peer);
            return;
        }
        if (route === "restart" && peer) this.drop(peer);
        if (route === "restart" || route === "create") peer = this.create(from, payload.s);
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
        peer.settingAnswer = payload.type === "answer";
        await pc.setRemoteDescription({ type: payload.type, sdp: payload.sdp });
        peer.settingAnswer = false;
        if (payload.type === "offer") {
            await pc.setLocalDescription();
            const answer = pc.localDescription;
            if (answer) this.post(peer, { type: "answer", sdp: answer.sdp, s: peer.localId, t: peer.remoteId });
        }
    }

    private create(userId: string, remoteId: string | undefined): Peer {
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
        pc.onconnectionstatechange = () => {
            if (pc.connectionState === "failed") pc.restartIce();
            this.options.onChange();
        };
        this.sendTracks(peer);
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
            } else if (this.local) {
                peer.pc.addTrack(track, this.local);
            }
        }
    }

    private post(peer: Peer, payload: SignalPayload): void {
        peer.outbox = peer.outbox.then(() => this.options.send(peer.userId, payload)).catch(() => undefined);
    }

    private drop(peer: Peer): void {
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

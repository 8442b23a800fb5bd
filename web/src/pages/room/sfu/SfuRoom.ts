import type { RemotePeer } from "../PeerMesh";
import { JanusSocket, type JanusSocketOptions } from "./JanusSocket";
import { pluginData, publishersOf, roomNotice, type JanusMessage, type Jsep } from "./janusProtocol";

/** Janus's VideoRoom plugin. */
export const VIDEOROOM = "janus.plugin.videoroom";
/** The most trace lines kept. */
const TRACE_LINES = 200;

/** What a room on the SFU needs (`rooms.join`'s `sfu`, with the WebSocket URL made absolute). */
export interface SfuRoomOptions {
    /** `ws[s]://host/sfu`. */
    url: string;
    /** The VideoRoom's id (a string). */
    room: string;
    /** The participant's signed token: Janus's sessions and the room's allow-list. */
    token: string;
    /** This participant's feed id in the room (their user id). */
    participantId: string;
    iceServers: RTCIceServer[];
    /** Something the page shows changed (a feed, a track, a state). */
    onChange(): void;
    /** The room kicked this participant (removed by the mentor): everything has stopped. */
    onKicked(): void;
    /** The connection to the SFU broke (socket, session, room or publisher gone, or refused at start). */
    onLost(reason: string): void;
    createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
    createSocket?: JanusSocketOptions["createSocket"];
}

/** One other participant's feed, received on a subscriber handle of its own. */
interface Feed {
    id: string;
    handle?: number;
    pc?: RTCPeerConnection;
    stream: MediaStream;
    closed: boolean;
}

/** Candidates of a connection go to Janus once its description has been exchanged (queued until then). */
interface Trickler {
    ready(): void;
}

/**
 * This page in a VideoRoom of Janus: one session over `/sfu`, a publisher handle that joins with the participant's
 * id and publishes the camera and microphone (sendonly, tracks replaced in place when devices change), and one
 * subscriber handle and connection per other publisher (the simplest robust choice: a feed that comes or goes
 * touches no other feed's connection). The room's events add feeds (`publishers`) and drop them (`unpublished`,
 * `leaving`, `kicked`); a kick of this participant stops everything at once.
 */
export class SfuRoom {
    private readonly o: SfuRoomOptions;
    private janus: JanusSocket | undefined;
    private publisherHandle = 0;
    private privateId: number | undefined;
    private publisher: RTCPeerConnection | undefined;
    private readonly feeds = new Map<string, Feed>();
    private local: MediaStream | undefined;
    private closed = false;
    private readonly traceLines: string[] = [];

    constructor(options: SfuRoomOptions) {
        this.o = options;
    }

    /** Connects, joins and publishes; a refusal or failure is `onLost` (the owner asks for a fresh token and retries). */
    start(): void {
        this.run().catch((error: unknown) => this.lost(`start: ${error instanceof Error ? error.message : String(error)}`));
    }

    /** The camera and microphone to publish (or none): tracks replace the publisher's in place. */
    setLocalStream(stream: MediaStream | undefined): void {
        this.local = stream;
        const pc = this.publisher;
        if (!pc) return;
        for (const transceiver of pc.getTransceivers()) {
            const kind = transceiver.receiver.track.kind;
            const track = stream?.getTracks().find((t) => t.kind === kind) ?? null;
            if (transceiver.sender.track !== track) void transceiver.sender.replaceTrack(track).catch(() => undefined);
        }
    }

    /** The other participants' feeds. */
    remotes(): RemotePeer[] {
        return [...this.feeds.values()].map((f) => ({ userId: f.id, stream: f.stream, state: f.pc?.connectionState ?? "new" }));
    }

    /** A participant removed from the room: their feed goes now (the SFU's own notice may come a little later). */
    drop(userId: string): void {
        this.dropFeed(userId);
    }

    /** Leaves: the session ends (Janus tells the others), every connection closes. */
    close(): void {
        if (this.closed) return;
        this.note("close");
        this.stop();
    }

    /** The subscriber connections' states, per feed. */
    connectionStates(): Record<string, RTCPeerConnectionState> {
        return Object.fromEntries(this.remotes().map((r) => [r.userId, r.state]));
    }

    /** The publisher connection's state. */
    publisherState(): RTCPeerConnectionState | "none" {
        return this.publisher?.connectionState ?? "none";
    }

    /** Decoded video frames per feed (from `getStats`). */
    async framesDecoded(): Promise<Record<string, number>> {
        const result: Record<string, number> = {};
        for (const feed of [...this.feeds.values()]) {
            result[feed.id] = feed.pc ? await statSum(feed.pc, "inbound-rtp", "video", "framesDecoded") : 0;
        }
        return result;
    }

    /** Audio levels (0..1) per feed, and this participant's own under `participantId`. */
    async levels(): Promise<Record<string, number>> {
        const result: Record<string, number> = {};
        for (const feed of [...this.feeds.values()]) if (feed.pc) result[feed.id] = await statMax(feed.pc, "inbound-rtp", "audio", "audioLevel");
        const micOn = this.local?.getAudioTracks().some((t) => t.enabled) ?? false;
        if (this.publisher) result[this.o.participantId] = micOn ? await statMax(this.publisher, "media-source", "audio", "audioLevel") : 0;
        return result;
    }

    /** What happened lately, for tests and diagnostics. */
    trace(): string[] {
        return [...this.traceLines];
    }

    private async run(): Promise<void> {
        const janus = await JanusSocket.open({ url: this.o.url, token: this.o.token, onLost: (why) => this.lost(why), createSocket: this.o.createSocket });
        if (this.closed) {
            janus.close();
            return;
        }
        this.janus = janus;
        this.publisherHandle = await janus.attach(VIDEOROOM, (m) => this.publisherEvent(m));
        const joined = await janus.message(this.publisherHandle, {
            request: "join",
            ptype: "publisher",
            room: this.o.room,
            id: this.o.participantId,
            display: this.o.participantId,
            token: this.o.token,
        });
        this.privateId = typeof joined.data.private_id === "number" ? joined.data.private_id : undefined;
        const others = publishersOf(joined.data);
        this.note(`joined ${this.o.room} as ${this.o.participantId}; publishers ${others.map((p) => p.id).join(",") || "none"}`);
        for (const p of others) if (p.publishing) this.subscribe(p.id);
        await this.publish(janus);
    }

    private async publish(janus: JanusSocket): Promise<void> {
        if (this.closed) return;
        const pc = this.makePeerConnection();
        this.publisher = pc;
        for (const kind of ["audio", "video"] as const) {
            const track = this.local?.getTracks().find((t) => t.kind === kind);
            pc.addTransceiver(track ?? kind, { direction: "sendonly", streams: this.local && track ? [this.local] : [] });
        }
        const trickler = this.trickler(janus, this.publisherHandle, pc);
        pc.onconnectionstatechange = () => {
            this.note(`publisher ${pc.connectionState}`);
            if (pc.connectionState === "failed") this.lost("publisher connection failed");
            this.o.onChange();
        };
        const offer = await pc.createOffer();
        await pc.setLocalDescription(offer);
        const answer = await janus.message(this.publisherHandle, { request: "publish" }, { type: "offer", sdp: offer.sdp ?? "" });
        if (!answer.jsep || this.closed) return;
        await pc.setRemoteDescription(answer.jsep);
        trickler.ready();
        this.note("published");
    }

    private subscribe(id: string): void {
        if (this.closed || !this.janus || id === this.o.participantId || this.feeds.has(id)) return;
        const feed: Feed = { id, stream: new MediaStream(), closed: false };
        this.feeds.set(id, feed);
        this.o.onChange();
        this.receive(this.janus, feed).catch((error: unknown) => {
            this.note(`subscribe ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
            this.dropFeed(id, feed);
        });
    }

    private async receive(janus: JanusSocket, feed: Feed): Promise<void> {
        const handle = await janus.attach(VIDEOROOM, (m) => this.feedEvent(janus, feed, m));
        feed.handle = handle;
        if (feed.closed) {
            janus.detach(handle);
            return;
        }
        const joined = await janus.message(handle, {
            request: "join",
            ptype: "subscriber",
            room: this.o.room,
            streams: [{ feed: feed.id }],
            private_id: this.privateId,
            token: this.o.token,
        });
        if (!joined.jsep || feed.closed) return;
        const pc = this.makePeerConnection();
        feed.pc = pc;
        pc.ontrack = ({ track }) => {
            for (const old of feed.stream.getTracks()) if (old.kind === track.kind && old !== track) feed.stream.removeTrack(old);
            feed.stream.addTrack(track);
            this.o.onChange();
        };
        pc.onconnectionstatechange = () => {
            this.note(`${feed.id} ${pc.connectionState}`);
            this.o.onChange();
        };
        const trickler = this.trickler(janus, handle, pc);
        await this.answer(janus, feed, joined.jsep);
        trickler.ready();
        this.note(`subscribed ${feed.id}`);
    }

    /** Answers the SFU's offer for a feed (the first, or a renegotiation when its streams changed). */
    private async answer(janus: JanusSocket, feed: Feed, offer: Jsep): Promise<void> {
        const pc = feed.pc;
        if (!pc || feed.handle === undefined || feed.closed) return;
        await pc.setRemoteDescription(offer);
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        await janus.message(feed.handle, { request: "start" }, { type: "answer", sdp: answer.sdp ?? "" });
    }

    private publisherEvent(message: JanusMessage): void {
        if (this.closed) return;
        if (message.janus === "hangup") {
            this.lost(`publisher hung up (${message.reason ?? "no reason"})`);
            return;
        }
        if (message.janus !== "event") {
            this.note(`publisher ${message.janus}`);
            return;
        }
        const notice = roomNotice(pluginData(message));
        switch (notice.type) {
            case "publishers":
                for (const p of notice.publishers) if (p.publishing) this.subscribe(p.id);
                return;
            case "gone":
                this.note(`gone ${notice.id}`);
                this.dropFeed(notice.id);
                return;
            case "kicked":
                this.note("kicked");
                this.stop();
                this.o.onKicked();
                return;
            case "destroyed":
                this.lost("room destroyed");
                return;
        }
    }

    private feedEvent(janus: JanusSocket, feed: Feed, message: JanusMessage): void {
        if (feed.closed) return;
        if (message.janus === "hangup" || message.janus === "detached") {
            this.note(`${feed.id} ${message.janus}`);
            this.dropFeed(feed.id, feed);
        } else if (message.janus === "event" && message.jsep?.type === "offer") {
            const offer = message.jsep;
            this.answer(janus, feed, offer).catch(() => this.dropFeed(feed.id, feed));
        }
    }

    private dropFeed(id: string, which?: Feed): void {
        const feed = this.feeds.get(id);
        if (!feed || (which && feed !== which)) return;
        feed.closed = true;
        this.feeds.delete(id);
        closePeerConnection(feed.pc);
        for (const track of feed.stream.getTracks()) track.stop();
        if (feed.handle !== undefined) this.janus?.detach(feed.handle);
        this.o.onChange();
    }

    private trickler(janus: JanusSocket, handle: number, pc: RTCPeerConnection): Trickler {
        let queue: (RTCIceCandidateInit | null)[] | undefined = [];
        pc.onicecandidate = ({ candidate }) => {
            const value = candidate ? candidate.toJSON() : null;
            if (queue) queue.push(value);
            else janus.trickle(handle, value);
        };
        return {
            ready: () => {
                for (const value of queue ?? []) janus.trickle(handle, value);
                queue = undefined;
            },
        };
    }

    private makePeerConnection(): RTCPeerConnection {
        const make = this.o.createPeerConnection ?? ((config: RTCConfiguration) => new RTCPeerConnection(config));
        return make({ iceServers: this.o.iceServers.filter((s) => (Array.isArray(s.urls) ? s.urls.length > 0 : !!s.urls)), bundlePolicy: "max-bundle" });
    }

    private lost(reason: string): void {
        if (this.closed) return;
        this.note(`lost: ${reason}`);
        this.stop();
        this.o.onLost(reason);
    }

    /** Closes everything at once: the feeds, the publisher, the session. */
    private stop(): void {
        this.closed = true;
        for (const feed of [...this.feeds.values()]) {
            feed.closed = true;
            closePeerConnection(feed.pc);
            for (const track of feed.stream.getTracks()) track.stop();
        }
        this.feeds.clear();
        closePeerConnection(this.publisher);
        this.publisher = undefined;
        this.janus?.close();
        this.janus = undefined;
        this.o.onChange();
    }

    private note(line: string): void {
        this.traceLines.push(`${Math.round(performance.now())} ${line}`);
        if (this.traceLines.length > TRACE_LINES) this.traceLines.shift();
    }
}

function closePeerConnection(pc: RTCPeerConnection | undefined): void {
    if (!pc) return;
    pc.onicecandidate = null;
    pc.ontrack = null;
    pc.onconnectionstatechange = null;
    pc.close();
}

type StatReport = { type?: string; kind?: string } & Record<string, unknown>;

/** The sum of a numeric field over a connection's reports of `type` and `kind`. */
async function statSum(pc: RTCPeerConnection, type: string, kind: string, field: string): Promise<number> {
    let total = 0;
    (await pc.getStats()).forEach((report: StatReport) => {
        const value = report[field];
        if (report.type === type && report.kind === kind && typeof value === "number") total += value;
    });
    return total;
}

/** The largest value of a numeric field over a connection's reports of `type` and `kind` (0 when none). */
async function statMax(pc: RTCPeerConnection, type: string, kind: string, field: string): Promise<number> {
    let most = 0;
    (await pc.getStats()).forEach((report: StatReport) => {
        const value = report[field];
        if (report.type === type && report.kind === kind && typeof value === "number") most = Math.max(most, value);
    });
    return most;
}

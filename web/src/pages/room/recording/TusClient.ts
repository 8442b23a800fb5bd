import { base64OfBytes, parseByteCount, refusalReason, trackMetadata, TUS_VERSION, UPLOADS_PATH } from "./tusProtocol";

/** Where an upload stands on the server. */
export interface UploadStatus {
    offset: number;
    /** Declared (by the last PATCH): the upload is complete when `offset` reaches it. */
    length?: number;
}

/** A request the server refused (or that never reached it: `status` 0). */
export class TusFailure extends Error {
    constructor(
        readonly status: number,
        readonly reason: string | undefined,
        /** The server's offset, on 409 `offset_mismatch`. */
        readonly offset?: number,
        readonly retryAfter?: string | null,
    ) {
        super(`upload ${status === 0 ? "network error" : `${status} ${reason ?? ""}`}`.trim());
    }
}

/** What the client needs from the browser. */
export interface TusClientOptions {
    fetch: typeof fetch;
    /** SHA-256 of a body (`crypto.subtle.digest`). */
    sha256(data: ArrayBuffer): Promise<ArrayBuffer>;
    now(): number;
}

/** The browser's fetch and digest. */
export function browserTusOptions(): TusClientOptions {
    return {
        fetch: (input, init) => fetch(input, init),
        sha256: (data) => crypto.subtle.digest("SHA-256", data),
        now: () => Date.now(),
    };
}

/** tus 1.0 at `/uploads/` (creation with deferred length, PATCH with sha256 checksums, HEAD for the offset). */
export class TusClient {
    constructor(private readonly o: TusClientOptions) {}

    /** Creates a track's upload for a running recording (started at `startedAtMs` on this clock); resolves with its address. */
    async create(recordingId: string, mime: string, startedAtMs?: number): Promise<string> {
        const metadata = trackMetadata(recordingId, mime, this.o.now(), startedAtMs);
        const answer = await this.send(UPLOADS_PATH, {
            method: "POST",
            headers: { "Tus-Resumable": TUS_VERSION, "Upload-Defer-Length": "1", "Upload-Metadata": metadata },
        });
        const location = answer.headers.get("Location");
        if (answer.status !== 201 || !location) throw new TusFailure(answer.status === 201 ? 0 : answer.status, "no_location");
        return location;
    }

    /** Where the upload stands. */
    async head(url: string): Promise<UploadStatus> {
        return this.status(await this.send(url, { method: "HEAD", headers: { "Tus-Resumable": TUS_VERSION } }));
    }

    /** Appends `body` at `offset`; `length` declares the upload's total (the last request). */
    async patch(url: string, offset: number, body: Blob, length?: number): Promise<UploadStatus> {
        const bytes = await body.arrayBuffer();
        const checksum = base64OfBytes(new Uint8Array(await this.o.sha256(bytes)));
        const headers: Record<string, string> = {
            "Tus-Resumable": TUS_VERSION,
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": String(offset),
            "Upload-Checksum": `sha256 ${checksum}`,
        };
        if (length !== undefined) headers["Upload-Length"] = String(length);
        // A small last request may outlive the page (pagehide); keepalive bodies share a 64 KiB budget.
        const keepalive = length !== undefined && bytes.byteLength < 32_000;
        return this.status(await this.send(url, { method: "PATCH", headers, body: bytes, keepalive }));
    }

    /** Ends an upload (tus termination). */
    async terminate(url: string): Promise<void> {
        await this.send(url, { method: "DELETE", headers: { "Tus-Resumable": TUS_VERSION } });
    }

    private status(answer: Response): UploadStatus {
        const offset = parseByteCount(answer.headers.get("Upload-Offset"));
        if (offset === undefined) throw new TusFailure(0, "no_offset");
        return { offset, length: parseByteCount(answer.headers.get("Upload-Length")) };
    }

    /** One request: a 2xx answer, else a TusFailure with the refusal's reason. */
    private async send(url: string, init: RequestInit): Promise<Response> {
        let answer: Response;
        try {
            answer = await this.o.fetch(url, { ...init, credentials: "same-origin", cache: "no-store" });
        } catch {
            throw new TusFailure(0, "network");
        }
        if (answer.ok) return answer;
        const text = init.method === "HEAD" ? "" : await answer.text().catch(() => "");
        throw new TusFailure(answer.status, refusalReason(text), parseByteCount(answer.headers.get("Upload-Offset")), answer.headers.get("Retry-After"));
    }
}

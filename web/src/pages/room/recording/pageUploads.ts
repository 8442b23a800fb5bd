import { openTrackStore } from "./IdbTrackStore";
import { browserTusOptions, TusClient } from "./TusClient";
import { browserLocks } from "./trackLocks";
import { UploadManager } from "./UploadManager";

let manager: Promise<UploadManager> | undefined;

/** This page's one upload manager (IndexedDB, tus at /uploads/, the browser's locks). */
export function pageUploads(): Promise<UploadManager> {
    manager ??= openTrackStore().then((store) => new UploadManager({ store, tus: new TusClient(browserTusOptions()), locks: browserLocks() }));
    return manager;
}

/**
 * Uploads what earlier pages of this browser recorded for `userId` and did not finish sending (a closed tab, a
 * crash, a lost connection): cheap when there is nothing (one IndexedDB read). Never rejects.
 */
export async function resumePendingUploads(userId: string): Promise<void> {
    try {
        await (await pageUploads()).resumeAll(userId);
    } catch {
        // nothing to resume, or no storage
    }
}

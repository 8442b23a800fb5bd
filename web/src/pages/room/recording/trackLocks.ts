/** Named locks shared by this origin's tabs, so that one tab records or uploads a track at a time. */
export interface TrackLocks {
    /** Takes `name` if nobody holds it: resolves with its release, or undefined when it is held. */
    acquire(name: string): Promise<(() => void) | undefined>;
}

/** The lock a track's recorder holds while it records (resuming pages leave such a track alone). */
export const recordingLock = (key: string) => `mentorlink-recording:${key}`;
/** The lock a track's uploader holds while it uploads. */
export const uploadLock = (key: string) => `mentorlink-upload:${key}`;

/** Locks within one page (tests, and browsers without the Web Locks API). */
export class PageLocks implements TrackLocks {
    private readonly held = new Set<string>();
    async acquire(name: string): Promise<(() => void) | undefined> {
        if (this.held.has(name)) return undefined;
        this.held.add(name);
        return () => this.held.delete(name);
    }
}

/** The Web Locks API (`navigator.locks`): held across tabs, released when a tab goes away. */
export class WebLocks implements TrackLocks {
    constructor(private readonly manager: LockManager) {}
    acquire(name: string): Promise<(() => void) | undefined> {
        return new Promise((resolve) => {
            this.manager
                .request(name, { ifAvailable: true }, (lock) => {
                    if (!lock) {
                        resolve(undefined);
                        return undefined;
                    }
                    return new Promise<void>((release) => resolve(release));
                })
                .catch(() => resolve(undefined));
        });
    }
}

/** This browser's locks. */
export function browserLocks(): TrackLocks {
    return typeof navigator !== "undefined" && navigator.locks ? new WebLocks(navigator.locks) : new PageLocks();
}

/** How the active speaker is chosen from audio levels. */
export interface SpeakerOptions {
    /** A smoothed level below this is silence (audio levels are 0..1; speech is well above 0.02). */
    threshold: number;
    /** Weight of a new sample in the smoothed level (exponential moving average). */
    smoothing: number;
    /** The speaker stays at least this long, unless they fall silent. */
    holdMs: number;
    /** Someone else takes over before `holdMs` only when this many times louder. */
    overtake: number;
}

/** Defaults for levels sampled a few times a second. */
export const DEFAULT_SPEAKER: SpeakerOptions = { threshold: 0.02, smoothing: 0.5, holdMs: 1_200, overtake: 2 };

/**
 * The active speaker: the loudest participant by smoothed audio level, with hysteresis so the mark does not flicker
 * between two people talking at once. Pure: fed levels and the time.
 */
export class ActiveSpeaker {
    private readonly smoothed = new Map<string, number>();
    private current: string | undefined;
    private since = 0;
    private lastHeard = 0;

    constructor(private readonly options: SpeakerOptions = DEFAULT_SPEAKER) {}

    /** Takes a sample of every participant's level (those missing are gone) and answers who speaks now. */
    update(levels: Readonly<Record<string, number>>, now: number): string | undefined {
        const a = this.options.smoothing;
        for (const id of [...this.smoothed.keys()]) if (!(id in levels)) this.smoothed.delete(id);
        for (const [id, level] of Object.entries(levels)) {
            const sample = Number.isFinite(level) ? Math.max(0, level) : 0;
            this.smoothed.set(id, (this.smoothed.get(id) ?? sample) * (1 - a) + sample * a);
        }
        let loudest: string | undefined;
        let loudestLevel = this.options.threshold;
        for (const [id, level] of this.smoothed) {
            if (level >= loudestLevel) {
                loudest = id;
                loudestLevel = level;
            }
        }
        const currentLevel = this.current === undefined ? 0 : (this.smoothed.get(this.current) ?? 0);
        const currentSpeaks = currentLevel >= this.options.threshold;
        if (currentSpeaks) this.lastHeard = now;
        if (loudest !== undefined && loudest !== this.current) {
            const held = now - this.since >= this.options.holdMs;
            if (!currentSpeaks || loudestLevel >= currentLevel * this.options.overtake || (held && loudestLevel > currentLevel)) {
                this.current = loudest;
                this.since = now;
                this.lastHeard = now;
            }
        } else if (loudest === undefined && this.current !== undefined) {
            if (!this.smoothed.has(this.current) || now - this.lastHeard >= this.options.holdMs) this.current = undefined;
        }
        return this.current;
    }
}

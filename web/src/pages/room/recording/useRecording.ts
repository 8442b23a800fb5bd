import { useEffect, useRef, useState } from "react";
import type { RecordingRpc } from "./recordingApi";
import { RecordingController, type RecorderProbeState, type RecordingView } from "./RecordingController";
import { pageUploads, resumePendingUploads } from "./pageUploads";
import { browserRecorder } from "./TrackRecorder";
import { browserLocks } from "./trackLocks";
import type { UploadProgress } from "./TrackUploader";

/** The test hook: this page's latest track, and every upload the page watched. */
interface RecorderProbe {
    state(): RecorderProbeState;
    uploads(): UploadProgress[];
}
declare global {
    interface Window {
        __mentorlinkRecorder?: RecorderProbe;
    }
}

/** What the room tells the recording. */
export interface UseRecordingOptions {
    rpc: RecordingRpc;
    selfId: string;
    roomId?: string;
    /** `rooms.join` answered (calls work). */
    joined: boolean;
    /** In the room (joined, or rejoining after a lost connection). */
    inRoom: boolean;
    stream?: MediaStream;
}

/**
 * The room page's recording: one controller per page (created with the page, stopped with it), fed the room's
 * presence and the camera stream; resumes earlier pages' uploads on mount; stops the track on `pagehide`.
 * Returns the view and the controller (for pushes and the mentor's buttons).
 */
export function useRecording(o: UseRecordingOptions): { view: RecordingView; controller: RecordingController | undefined } {
    const [view, setView] = useState<RecordingView>({ running: false, recordingHere: false, busy: false });
    const [controller, setController] = useState<RecordingController>();
    const rpc = useRef(o.rpc);
    rpc.current = o.rpc;

    useEffect(() => {
        if (!o.selfId) return;
        const c = new RecordingController({
            rpc: { start: (p) => rpc.current.start(p), stop: (p) => rpc.current.stop(p), autoStart: (p) => rpc.current.autoStart(p), get: (p) => rpc.current.get(p) },
            uploads: pageUploads(),
            locks: browserLocks(),
            selfId: o.selfId,
            makeRecorder: browserRecorder,
            onChange: setView,
        });
        setController(c);
        void resumePendingUploads(o.selfId);
        window.__mentorlinkRecorder = { state: () => c.probe(), uploads: () => c.uploads() };
        const hide = () => c.setHidden(true);
        const show = (event: PageTransitionEvent) => event.persisted && c.setHidden(false);
        window.addEventListener("pagehide", hide);
        window.addEventListener("pageshow", show);
        return () => {
            window.removeEventListener("pagehide", hide);
            window.removeEventListener("pageshow", show);
            delete window.__mentorlinkRecorder;
            c.dispose();
            setController(undefined);
        };
    }, [o.selfId]);

    useEffect(() => controller?.setPresence({ roomId: o.roomId, joined: o.joined, inRoom: o.inRoom }), [controller, o.roomId, o.joined, o.inRoom]);
    useEffect(() => controller?.setStream(o.stream), [controller, o.stream]);
    return { view, controller };
}

import { errorText } from "../../../components/ErrorMessage";
import { RpcError } from "../../../rpc/RpcError";
import type { RecordingView } from "./RecordingController";

/** The upload line in words. */
export function uploadText(upload: RecordingView["upload"]): string | undefined {
    if (!upload) return undefined;
    switch (upload.phase) {
        case "complete":
            return "Upload complete";
        case "failed":
            return `Upload failed${upload.failure ? ` (${upload.failure.replace(/_/g, " ")})` : ""}`;
        case "retrying":
            return `Uploading… ${upload.percent}% (connection lost, retrying)`;
        case "uploading":
            return `Uploading… ${upload.percent}%`;
    }
}

/**
 * The room's recording: "● Recording" (a status, for everyone) while a recording runs, this page's upload progress,
 * and the mentor's "Start recording" / "Stop recording".
 */
export function RecordingBar({ view, isMentor, canAct, onStart, onStop }: { view: RecordingView; isMentor: boolean; canAct: boolean; onStart(): void; onStop(): void }) {
    const upload = uploadText(view.upload);
    return (
        <section className="recording-bar" aria-label="Recording">
            <p role="status" className={view.running ? "recording-on" : "recording-off"}>
                {view.running ? (
                    <>
                        <span aria-hidden="true">● </span>Recording
                    </>
                ) : null}
            </p>
            {upload ? (
                <p className="recording-upload" data-upload={view.upload?.phase}>
                    {upload}
                </p>
            ) : null}
            {isMentor ? (
                view.running ? (
                    <button type="button" className="danger" disabled={view.busy || !canAct} onClick={onStop}>
                        Stop recording
                    </button>
                ) : (
                    <button type="button" disabled={view.busy || !canAct} onClick={onStart}>
                        Start recording
                    </button>
                )
            ) : null}
            {view.error ? (
                <p role="alert" className="error">
                    {view.error instanceof RpcError ? errorText(view.error) : "This browser could not record this session."}
                </p>
            ) : null}
        </section>
    );
}

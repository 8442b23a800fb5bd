import { useId } from "react";
import type { LocalMedia } from "./useLocalMedia";

/** Mute / unmute, camera off / on, the camera and microphone to use, and "Leave". */
export function DeviceControls({ media, mutedByMentor, onLeave }: { media: LocalMedia; mutedByMentor: boolean; onLeave(): void }) {
    const id = useId();
    return (
        <div className="controls" role="group" aria-label="Call controls">
            <button type="button" aria-pressed={!media.micOn} disabled={!media.stream || mutedByMentor} onClick={() => media.setMic(!media.micOn)}>
                {media.micOn ? "Mute" : "Unmute"}
            </button>
            <button type="button" aria-pressed={!media.cameraOn} disabled={!media.stream} onClick={() => media.setCamera(!media.cameraOn)}>
                {media.cameraOn ? "Camera off" : "Camera on"}
            </button>
            {media.cameras.length > 0 ? (
                <span className="device">
                    <label htmlFor={`${id}-camera`}>Camera</label>
                    <select id={`${id}-camera`} value={media.cameraId ?? ""} onChange={(e) => media.choose("videoinput", e.target.value)}>
                        {media.cameras.map((d, k) => (
                            <option key={d.deviceId || k} value={d.deviceId}>
                                {d.label || `Camera ${k + 1}`}
                            </option>
                        ))}
                    </select>
                </span>
            ) : null}
            {media.microphones.length > 0 ? (
                <span className="device">
                    <label htmlFor={`${id}-mic`}>Microphone</label>
                    <select id={`${id}-mic`} value={media.microphoneId ?? ""} onChange={(e) => media.choose("audioinput", e.target.value)}>
                        {media.microphones.map((d, k) => (
                            <option key={d.deviceId || k} value={d.deviceId}>
                                {d.label || `Microphone ${k + 1}`}
                            </option>
                        ))}
                    </select>
                </span>
            ) : null}
            <button type="button" className="danger" onClick={onLeave}>
                Leave
            </button>
        </div>
    );
}

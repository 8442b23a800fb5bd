import { useCallback, useEffect, useRef, useState } from "react";

/** The camera and microphone of this page. */
export interface LocalMedia {
    stream?: MediaStream;
    cameras: MediaDeviceInfo[];
    microphones: MediaDeviceInfo[];
    cameraId?: string;
    microphoneId?: string;
    micOn: boolean;
    cameraOn: boolean;
    /** Why there is no camera or microphone (permission refused, no device). */
    error?: string;
    setMic(on: boolean): void;
    setCamera(on: boolean): void;
    /** Switches to another device of that kind (the new track replaces the old one in every connection). */
    choose(kind: "audioinput" | "videoinput", deviceId: string): void;
    /** Stops the devices (leaving). */
    stop(): void;
}

const trackOf = (stream: MediaStream | undefined, kind: "audio" | "video") => stream?.getTracks().find((t) => t.kind === kind);

/**
 * Opens the camera and microphone (`getUserMedia`) while `active`, lists the devices to choose from, and mutes or
 * turns the camera off by disabling the track (the connections keep their senders, so nothing renegotiates).
 * `onStream` hears every new stream or track change.
 */
export function useLocalMedia(active: boolean, onStream: (stream: MediaStream | undefined) => void): LocalMedia {
    const [stream, setStream] = useState<MediaStream>();
    const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
    const [micOn, setMicOn] = useState(true);
    const [cameraOn, setCameraOn] = useState(true);
    const [error, setError] = useState<string>();
    const streamRef = useRef<MediaStream>();
    const notify = useRef(onStream);
    notify.current = onStream;

    const stop = useCallback(() => {
        for (const t of streamRef.current?.getTracks() ?? []) t.stop();
        streamRef.current = undefined;
        setStream(undefined);
        notify.current(undefined);
    }, []);

    useEffect(() => {
        if (!active) return;
        let live = true;
        const media = navigator.mediaDevices;
        if (!media?.getUserMedia) {
            setError("This browser cannot use a camera here.");
            return;
        }
        media
            .getUserMedia({ audio: true, video: { width: { ideal: 640 }, height: { ideal: 360 } } })
            .then(
                async (s) => {
                    if (!live) {
                        for (const t of s.getTracks()) t.stop();
                        return;
                    }
                    streamRef.current = s;
                    setStream(s);
                    notify.current(s);
                    setDevices(await media.enumerateDevices());
                },
                (e: unknown) => live && setError(e instanceof DOMException && e.name === "NotAllowedError" ? "Camera and microphone were not allowed." : "No camera or microphone could be opened."),
            );
        return () => {
            live = false;
            stop();
        };
    }, [active, stop]);

    const setMic = (on: boolean) => {
        const track = trackOf(streamRef.current, "audio");
        if (track) track.enabled = on;
        setMicOn(on);
    };
    const setCamera = (on: boolean) => {
        const track = trackOf(streamRef.current, "video");
        if (track) track.enabled = on;
        setCameraOn(on);
    };
    const choose = (kind: "audioinput" | "videoinput", deviceId: string) => {
        const current = streamRef.current;
        if (!current) return;
        const constraints = kind === "audioinput" ? { audio: { deviceId: { exact: deviceId } } } : { video: { deviceId: { exact: deviceId } } };
        navigator.mediaDevices.getUserMedia(constraints).then(
            (s) => {
                const track = s.getTracks()[0];
                const old = trackOf(current, track.kind as "audio" | "video");
                track.enabled = track.kind === "audio" ? micOn : cameraOn;
                const next = new MediaStream([...current.getTracks().filter((t) => t !== old), track]);
                old?.stop();
                streamRef.current = next;
                setStream(next);
                notify.current(next);
            },
            () => setError("That device could not be opened."),
        );
    };

    const settings = (kind: "audio" | "video") => trackOf(stream, kind)?.getSettings().deviceId;
    return {
        stream,
        cameras: devices.filter((d) => d.kind === "videoinput"),
        microphones: devices.filter((d) => d.kind === "audioinput"),
        cameraId: settings("video"),
        microphoneId: settings("audio"),
        micOn,
        cameraOn,
        error,
        setMic,
        setCamera,
        choose,
        stop,
    };
}

#!/usr/bin/env python3
"""The media pipeline's transcoder against the ffmpeg CLI doing the same work, printed as a Markdown table.

    media_bench.py [--mentorlink .build/release/mentorlink] [--seconds 30] [--size 640x480] [--runs 3] [--ffmpeg-only]

Inputs are generated like a browser's MediaRecorder files: lavfi testsrc2 + sine, VP8 (realtime) + Opus in WebM,
written through a pipe (no duration, no cues). Two jobs, each timed for the project and for ffmpeg:

- track:     one input to an MP4, H.264 (libx264 veryfast, CRF 23, yuv420p, a keyframe every 2 s by time, the input's
             timestamps kept) + AAC 48 kHz, faststart;
- composite: two inputs (the second 3 s later) side by side on 1280x720 at 30 fps, audio mixed, one encode written
             as a faststart MP4 and an fMP4 HLS VOD rendition (4 s segments).

The project is run through the CLI the lead exposes (this script is written against that interface):

    mentorlink media transcode IN OUT
    mentorlink media composite OUT_MP4 HLS_DIR IN@OFFSET_MS [IN@OFFSET_MS ...]

Each run is one child process; its CPU seconds (user + system) and peak RSS come from os.wait4's rusage of that
child alone. The table shows the median wall time and CPU of --runs runs, the largest peak RSS, the realtime factor
(media seconds / wall seconds) and the output's duration as ffprobe reads it (a failed or short output is not fast).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def generate(path: str, seconds: int, size: str, tone: int) -> None:
    """A MediaRecorder-like WebM: VP8 + Opus through a pipe."""
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=s={size}:r=30:d={seconds}",
        "-f", "lavfi", "-i", f"sine=f={tone}:sample_rate=48000:d={seconds}",
        "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M",
        "-c:a", "libopus", "-b:a", "64k", "-f", "webm", "pipe:1",
    ]
    with open(path, "wb") as out:
        subprocess.run(command, stdout=out, check=True)


def ffmpeg_track(source: str, output: str) -> list[str]:
    return [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", source,
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
        "-force_key_frames", "expr:gte(t,n_forced*2)", "-fps_mode", "passthrough",
        "-c:a", "aac", "-ar", "48000", "-b:a", "128k", "-movflags", "+faststart", output,
    ]


def ffmpeg_composite(sources: list[tuple[str, int]], output: str, hls: str) -> list[str]:
    tile = "scale=640:720:force_original_aspect_ratio=decrease,pad=640:720:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30"
    graph = []
    for index, (_, offset) in enumerate(sources):
        delay = f",tpad=start_duration={offset / 1000}:color=0x282828" if offset else ""
        graph.append(f"[{index}:v]setpts=PTS-STARTPTS,{tile}{delay}[v{index}]")
        graph.append(f"[{index}:a]aresample=48000:async=1:first_pts=0,adelay={offset}:all=1[a{index}]")
    inputs = len(sources)
    graph.append("".join(f"[v{i}]" for i in range(inputs)) + f"hstack=inputs={inputs}[v]")
    graph.append("".join(f"[a{i}]" for i in range(inputs)) + f"amix=inputs={inputs}:duration=longest:normalize=0[a]")
    tee = (
        f"[f=mp4:movflags=+faststart]{output}|"
        f"[f=hls:hls_time=4:hls_segment_type=fmp4:hls_playlist_type=vod:hls_list_size=0:"
        f"hls_segment_filename={hls}/segment_%05d.m4s]{hls}/index.m3u8"
    )
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]
    for path, _ in sources:
        command += ["-i", path]
    return command + [
        "-filter_complex", ";".join(graph), "-map", "[v]", "-map", "[a]",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-g", "60",
        "-x264-params", "scenecut=0", "-c:a", "aac", "-ar", "48000", "-b:a", "128k", "-f", "tee", tee,
    ]


def measure(command: list[str]) -> tuple[float, float, float, str]:
    """Runs one child: (wall seconds, CPU seconds, peak RSS MiB, stderr's first line when it failed)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    error_text = child.stderr.read().decode(errors="replace") if child.stderr else ""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    failure = "" if child.returncode == 0 else (error_text.strip().splitlines() or [f"exit {child.returncode}"])[0]
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, failure


def duration(path: str) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-of", "json", "-show_format", path], capture_output=True, text=True)
    try:
        return float(json.loads(out.stdout)["format"]["duration"])
    except (ValueError, KeyError):
        return 0.0


def row(job: str, tool: str, media: float, runs: int, command, output: str, reset) -> tuple[str, bool]:
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        reset()
        wall, cpu, peak, failure = measure(command)
        if failure:
            return f"| {job} | {tool} | {media:.0f} | failed: {failure[:80]} | | | | |", False
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    wall = statistics.median(walls)
    return (
        f"| {job} | {tool} | {media:.0f} | {wall:.2f} | {media / wall:.1f}x | {statistics.median(cpus):.2f} | "
        f"{max(peaks):.0f} | {duration(output):.2f} |",
        True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentorlink", default=os.path.join(ROOT, ".build", "release", "mentorlink"))
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ffmpeg-only", action="store_true", help="time only the ffmpeg CLI")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="mentorlink-media-bench.")
    try:
        a, b = os.path.join(work, "a.webm"), os.path.join(work, "b.webm")
        generate(a, args.seconds, args.size, 440)
        generate(b, args.seconds, args.size, 660)
        track_out = os.path.join(work, "track.mp4")
        composite_out, hls = os.path.join(work, "composite.mp4"), os.path.join(work, "hls")
        sources = [(a, 0), (b, 3000)]
        composite_media = args.seconds + 3

        def fresh_hls():
            shutil.rmtree(hls, ignore_errors=True)
            os.makedirs(hls)

        jobs = [
            ("track", args.seconds, track_out, lambda: None,
             [args.mentorlink, "media", "transcode", a, track_out], ffmpeg_track(a, track_out)),
            ("composite", composite_media, composite_out, fresh_hls,
             [args.mentorlink, "media", "composite", composite_out, hls] + [f"{p}@{o}" for p, o in sources],
             ffmpeg_composite(sources, composite_out, hls)),
        ]
        print(f"Inputs: {args.seconds} s of {args.size} VP8 + Opus WebM (MediaRecorder-like), {args.runs} runs each, "
              f"{os.cpu_count()} cores.\n")
        print("| job | tool | media s | wall s | realtime | CPU s | peak RSS MiB | output s |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        ok = True
        for job, media, output, reset, project, ffmpeg in jobs:
            tools = [("ffmpeg CLI", ffmpeg)] if args.ffmpeg_only else [("mentorlink", project), ("ffmpeg CLI", ffmpeg)]
            for tool, command in tools:
                line, passed = row(job, tool, media, args.runs, command, output, reset)
                print(line, flush=True)
                ok &= passed
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

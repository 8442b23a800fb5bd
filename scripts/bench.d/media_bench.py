#!/usr/bin/env python3
"""The media pipeline against its anchors, printed as Markdown: the project's transcoder against the ffmpeg CLI doing
the same work on the same inputs, and tus uploads through nginx against nginx writing the same bytes by itself.

    media_bench.py [--part media|upload|all] [--mentorlink .build/release/mentorlink] [--seconds 30] [--size 640x480]
                   [--codec vp8|vp9] [--runs 3] [--url http://127.0.0.1:PORT --run-dir DIR] [--upload-mib 64]
                   [--chunk-mib 4] [--uploads 5]

Transcoding. Inputs are made like a browser's MediaRecorder files: lavfi testsrc2 + sine, VP8 (or VP9) realtime +
Opus in WebM, a keyframe every 2 s, written through a pipe (so no duration and no cues). Two jobs:

- track:     one input to an MP4 (`mentorlink media transcode IN OUT`);
- composite: two inputs, the second 3 s later, side by side on the canvas, audio mixed, one encode written as a
             faststart MP4 and an fMP4 HLS VOD rendition (`mentorlink media composite --output X --hls DIR IN@MS...`).

The ffmpeg CLI gets the settings the project's own report says it used (preset, CRF, encoder threads, keyframe
interval, AAC bit rate and channels, canvas, frame rate, HLS segment length), and runs twice: as it comes (decoders
and filters threaded as ffmpeg decides) and with one decoding and filtering thread, which is how the project decodes
(libx264's threads are the same in all of them). A diagnostic fourth row runs the project's binary with its video
decoders given frame threads by an LD_PRELOAD shim (decoder_threads_shim.c; not how it ships), to show what the one
structural difference left is worth. libx264's own settings string (the SEI it writes into every stream) must be the
same in the project's and the CLI's outputs, or the run fails: the comparison is of the same encode. One unmeasured
warm-up run of each, then --runs rounds, each running every tool once in turn (so a neighbour's load falls on all of
them alike). Each run is one child process: wall
time, CPU seconds (user + system) and peak RSS from os.wait4's rusage of that child. Every output is checked with
ffprobe (H.264 + AAC, size, duration, keyframes at most 2 s apart, HLS playlist and segments): a run whose output is
wrong fails the benchmark, it is not a fast result.

Uploads (needs --url and --run-dir of a running stack). A mentor and a mentee with a booking whose room is open, a
recording started by the mentor (as Tests/Browser/test_recording_protocol.py does); the mentee creates a track
(deferred length) and PATCHes --upload-mib MiB of random bytes in --chunk-mib chunks, with sha256 checksums, the
length declared with the last chunk, over one keep-alive connection through nginx. Every answer is checked (204,
Upload-Offset), then HEAD and the staged file's size and sha256. The anchor, in the same run: a throwaway nginx on
its own port (config under the run dir, the production template untouched) taking the same chunks as WebDAV PUTs
(`dav_methods PUT`: nginx writes each body to a file by itself), over one keep-alive connection; and the disk alone:
the same chunks written and fsynced one by one (the worker syncs every PATCH before it answers; nginx does not).
"""
import argparse
import base64
import hashlib
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MEDIARECORDER_KEYFRAME_S = 2


def log(message: str) -> None:
    print(f"[media-bench] {message}", file=sys.stderr, flush=True)


class BenchFailure(Exception):
    """A run, an answer or an output that is not what it must be."""


# ---- machine load

def cpu_busy_seconds() -> float:
    """Busy CPU seconds of the whole machine so far (every core; /proc/stat, idle and iowait excluded)."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / ticks


# ---- inputs

def generate(path: str, seconds: int, size: str, tone: int, codec: str) -> None:
    """A MediaRecorder-like WebM: VP8/VP9 realtime + Opus through a pipe, a keyframe every 2 s."""
    video = (["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M"] if codec == "vp8" else
             ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-b:v", "1M"])
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=s={size}:r=30:d={seconds}",
        "-f", "lavfi", "-i", f"sine=f={tone}:sample_rate=48000:d={seconds}",
        *video, "-g", str(30 * MEDIARECORDER_KEYFRAME_S),
        "-c:a", "libopus", "-b:a", "64k", "-f", "webm", "pipe:1",
    ]
    with open(path, "wb") as out:
        subprocess.run(command, stdout=out, check=True)


def probe(path: str, packets: bool = False) -> dict:
    command = ["ffprobe", "-v", "error", "-of", "json", "-show_format", "-show_streams"]
    if packets:
        command += ["-show_entries", "packet=stream_index,pts_time,flags"]
    out = subprocess.run(command + [path], capture_output=True, text=True)
    if out.returncode != 0:
        raise BenchFailure(f"ffprobe {path}: {out.stderr.strip()[:200]}")
    return json.loads(out.stdout)


def describe_input(path: str, codec: str) -> dict:
    info = probe(path)
    streams = {s["codec_type"]: s for s in info["streams"]}
    if streams.get("video", {}).get("codec_name") != codec or streams.get("audio", {}).get("codec_name") != "opus":
        raise BenchFailure(f"{path}: not {codec} + opus: {[(s['codec_type'], s.get('codec_name')) for s in info['streams']]}")
    return {"channels": int(streams["audio"].get("channels", 1)), "header_duration": info["format"].get("duration")}


# ---- the commands

def project_track(binary: str, source: str, output: str) -> list[str]:
    return [binary, "media", "transcode", source, output]


def project_composite(binary: str, sources: list[tuple[str, int]], output: str, hls: str) -> list[str]:
    return [binary, "media", "composite", "--output", output, "--hls", hls] + [f"{p}@{o}" for p, o in sources]


def decode_threads(one: bool) -> list[str]:
    return ["-threads", "1"] if one else []


def ffmpeg_track(o: dict, source: str, output: str, channels: int, one_thread: bool) -> list[str]:
    """The project's track job as ffmpeg CLI options: same encoders and settings (see cmedia_track.c)."""
    interval = o["keyframeIntervalMs"] / 1000
    out_channels = o["audioChannels"] or (2 if channels >= 2 else 1)
    bitrate = o["audioBitrate"] or 64000 * out_channels
    gop = max(int(2 * 30 * interval), 2)  # the project's backstop GOP (keyframes are forced by time)
    return [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *decode_threads(one_thread), "-i", source,
        *(["-filter_threads", "1"] if one_thread else []),
        "-map", "0:v:0", "-map", "0:a:0",
        "-c:v", "libx264", "-preset", o["preset"], "-crf", str(o["crf"]), "-pix_fmt", "yuv420p", "-threads", str(o["threads"]),
        "-g", str(gop), "-forced-idr", "1", "-force_key_frames", f"expr:gte(t,n_forced*{interval})", "-fps_mode", "passthrough",
        "-c:a", "aac", "-ar", "48000", "-ac", str(out_channels), "-b:a", str(bitrate), "-movflags", "+faststart", output,
    ]


def ffmpeg_composite(o: dict, sources: list[tuple[str, int]], output: str, hls: str, one_thread: bool) -> list[str]:
    """The project's composite as an ffmpeg filter graph: tiles fitted (aspect kept) and padded, placed at their
    offsets, side by side, constant frame rate; audio at 48 kHz, delayed, mixed (no normalisation), stereo; one
    encode teed to a faststart MP4 and fMP4 HLS VOD (see cmedia_composite.c)."""
    width, height, fps = o["canvasWidth"], o["canvasHeight"], o["fps"]
    inputs = len(sources)
    if inputs != 2:
        raise BenchFailure("the CLI's graph here is for two tracks side by side")
    tw, th = (width // inputs) & ~1, height & ~1
    tile = (f"scale={tw}:{th}:force_original_aspect_ratio=decrease:flags=bilinear,pad={tw}:{th}:(ow-iw)/2:(oh-ih)/2,"
            f"setsar=1,fps={fps}")
    graph = []
    for index, (_, offset) in enumerate(sources):
        delay = f",tpad=start_duration={offset / 1000}:color=0x282828" if offset else ""
        graph.append(f"[{index}:v]setpts=PTS-STARTPTS,{tile}{delay}[v{index}]")
        graph.append(f"[{index}:a]aresample=48000:async=1:first_pts=0,adelay={offset}:all=1[a{index}]")
    graph.append("".join(f"[v{i}]" for i in range(inputs)) + f"hstack=inputs={inputs}[v]")
    graph.append("".join(f"[a{i}]" for i in range(inputs)) + f"amix=inputs={inputs}:duration=longest:normalize=0[a]")
    channels = o["audioChannels"] or 2
    gop = max(fps * o["keyframeIntervalMs"] // 1000, 1)
    segment = o["hlsSegmentMs"] / 1000
    tee = (
        f"[f=mp4:movflags=+faststart]{output}|"
        f"[f=hls:hls_time={segment}:hls_segment_type=fmp4:hls_playlist_type=vod:hls_list_size=0:"
        f"hls_fmp4_init_filename=init.mp4:hls_flags=independent_segments:"
        f"hls_segment_filename={hls}/segment_%05d.m4s]{hls}/index.m3u8"
    )
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]
    for path, _ in sources:
        command += [*decode_threads(one_thread), "-i", path]
    return command + [
        *(["-filter_complex_threads", "1"] if one_thread else []),
        "-filter_complex", ";".join(graph), "-map", "[v]", "-map", "[a]",
        "-c:v", "libx264", "-preset", o["preset"], "-crf", str(o["crf"]), "-pix_fmt", "yuv420p", "-threads", str(o["threads"]),
        "-g", str(gop), "-forced-idr", "1", "-x264-params", "scenecut=0", "-flags:v", "+global_header",
        "-c:a", "aac", "-ar", "48000", "-ac", str(channels), "-b:a", str(o["audioBitrate"] or 64000 * channels),
        "-flags:a", "+global_header", "-f", "tee", tee,
    ]


# ---- running and checking

def measure(command: list[str]) -> dict:
    """Runs one child: wall s, CPU s (user + system), peak RSS MiB, its stdout."""
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out_file, stderr=err_file)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage (Popen must not reap it first)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    code = child.returncode
    if code != 0:
        text = err.decode(errors="replace").strip() or f"exit {code}"
        raise BenchFailure(f"{os.path.basename(command[0])} {' '.join(command[1:3])}: {text[:300]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024, "stdout": out.decode()}


def check_output(path: str, width: int, height: int, media_s: float, channels: int, interval_s: float) -> dict:
    """ffprobe: H.264 yuv420p of the size, AAC of the channels, duration within 0.5 s, keyframes at most
    interval + one frame apart. Returns duration s, video kb/s, keyframes."""
    info = probe(path, packets=True)
    streams = {s["codec_type"]: s for s in info["streams"]}
    video, audio = streams.get("video", {}), streams.get("audio", {})
    problems = []
    if video.get("codec_name") != "h264" or video.get("pix_fmt") != "yuv420p":
        problems.append(f"video {video.get('codec_name')} {video.get('pix_fmt')}")
    if (video.get("width"), video.get("height")) != (width, height):
        problems.append(f"size {video.get('width')}x{video.get('height')}")
    if audio.get("codec_name") != "aac" or int(audio.get("channels", 0)) != channels or audio.get("sample_rate") != "48000":
        problems.append(f"audio {audio.get('codec_name')} {audio.get('channels')} ch {audio.get('sample_rate')} Hz")
    duration = float(info["format"].get("duration", 0))
    if abs(duration - media_s) > 0.5:
        problems.append(f"duration {duration:.2f} s, expected {media_s:.2f}")
    index = video.get("index")
    keys = [float(p["pts_time"]) for p in info.get("packets", []) if p.get("stream_index") == index and "K" in p.get("flags", "")
            and p.get("pts_time") not in (None, "N/A")]
    keys.sort()
    widest = max((b - a for a, b in zip(keys, keys[1:])), default=float("inf"))
    if not keys or widest > interval_s + 0.05:
        problems.append(f"keyframes {len(keys)}, widest gap {widest:.2f} s")
    if problems:
        raise BenchFailure(f"{os.path.basename(path)}: " + "; ".join(problems))
    bits = int(video.get("bit_rate") or 0)
    return {"duration": duration, "video_kbps": bits / 1000, "keyframes": len(keys)}


def check_hls(directory: str, media_s: float) -> int:
    playlist = os.path.join(directory, "index.m3u8")
    try:
        text = open(playlist).read()
    except OSError as error:
        raise BenchFailure(f"HLS: {error}") from error
    segments = [line for line in text.splitlines() if line and not line.startswith("#")]
    listed = sum(float(line.split(":", 1)[1].split(",")[0]) for line in text.splitlines() if line.startswith("#EXTINF:"))
    missing = [s for s in segments if not os.path.isfile(os.path.join(directory, s))]
    if "#EXT-X-ENDLIST" not in text or not segments or missing or not os.path.isfile(os.path.join(directory, "init.mp4")) \
            or abs(listed - media_s) > 0.5:
        raise BenchFailure(f"HLS: {len(segments)} segments, {listed:.2f} s listed, missing {missing[:3]}")
    return len(segments)


def x264_settings(path: str) -> str:
    """libx264's settings as it wrote them into the stream (its SEI user data), from "options:" on."""
    with open(path, "rb") as f:
        data = f.read()
    start = data.find(b"x264 - core")
    if start < 0:
        raise BenchFailure(f"{os.path.basename(path)}: no x264 settings in the stream")
    text = data[start:data.find(b"\0", start)].decode(errors="replace")
    return text[text.find("options:"):]


def build_shim(work: str) -> str | None:
    """Compiles decoder_threads_shim.c; None (and the row is left out) when that fails."""
    out = os.path.join(work, "decoder_threads_shim.so")
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "decoder_threads_shim.c")
    built = subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", out, source, "-ldl"], capture_output=True, text=True)
    if built.returncode != 0:
        log(f"the decoder-threads shim did not build, its row is left out: {built.stderr.strip()[:200]}")
        return None
    return out


def _x264_field(settings: str, name: str) -> str:
    for item in settings.split():
        if item.startswith(name + "="):
            return item.split("=", 1)[1]
    return "?"


def media_part(args) -> str:
    work = tempfile.mkdtemp(prefix="mentorlink-media-bench.")
    try:
        return media_tables(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def media_tables(args, work: str) -> str:
    a, b = os.path.join(work, "a.webm"), os.path.join(work, "b.webm")
    log(f"generating two {args.seconds} s {args.size} {args.codec} + opus inputs")
    generate(a, args.seconds, args.size, 440, args.codec)
    generate(b, args.seconds, args.size, 660, args.codec)
    source = describe_input(a, args.codec)
    describe_input(b, args.codec)
    in_w, in_h = (int(v) for v in args.size.split("x"))
    track_out = os.path.join(work, "track.mp4")
    composite_out, hls = os.path.join(work, "composite.mp4"), os.path.join(work, "hls")
    sources, offset_ms = [(a, 0), (b, 3000)], 3000
    composite_media = args.seconds + offset_ms / 1000

    def fresh_hls():
        shutil.rmtree(hls, ignore_errors=True)
        os.makedirs(hls)

    # The project's report names the settings it used; the CLI gets the same.
    fresh_hls()
    first = measure(project_track(args.mentorlink, a, track_out))
    options = json.loads(first["stdout"].strip().splitlines()[-1])["options"]
    log(f"the project's settings: {json.dumps(options, sort_keys=True)}")
    track_channels = options["audioChannels"] or (2 if source["channels"] >= 2 else 1)
    comp_channels = options["audioChannels"] or 2
    interval = options["keyframeIntervalMs"] / 1000

    shim = build_shim(work)
    shimmed = ["env", f"LD_PRELOAD={shim}"] if shim else None
    tools = ["mentorlink", "ffmpeg CLI", "ffmpeg CLI, 1 decoding/filter thread"]
    diagnostic = "diagnostic: mentorlink with frame-threaded video decoding (LD_PRELOAD shim)"
    if shim:
        tools.append(diagnostic)
    jobs = {
        "track": {
            "media": float(args.seconds), "output": track_out, "reset": lambda: None,
            "check": lambda: check_output(track_out, in_w, in_h, args.seconds, track_channels, interval),
            "commands": [project_track(args.mentorlink, a, track_out), ffmpeg_track(options, a, track_out, source["channels"], False),
                         ffmpeg_track(options, a, track_out, source["channels"], True)]
                        + ([shimmed + project_track(args.mentorlink, a, track_out)] if shim else []),
        },
        "composite": {
            "media": composite_media, "output": composite_out, "reset": fresh_hls,
            "check": lambda: {**check_output(composite_out, options["canvasWidth"], options["canvasHeight"], composite_media, comp_channels,
                                             interval), "segments": check_hls(hls, composite_media)},
            "commands": [project_composite(args.mentorlink, sources, composite_out, hls),
                         ffmpeg_composite(options, sources, composite_out, hls, False),
                         ffmpeg_composite(options, sources, composite_out, hls, True)]
                        + ([shimmed + project_composite(args.mentorlink, sources, composite_out, hls)] if shim else []),
        },
    }
    results = {(job, tool): [] for job in jobs for tool in tools}
    checks, settings = {}, {}
    busy_start, own_cpu, load_start = cpu_busy_seconds(), 0.0, os.getloadavg()[0]
    started = time.perf_counter()
    for job, spec in jobs.items():
        for tool, command in zip(tools, spec["commands"]):  # warm-up: page cache, libraries, checked too
            spec["reset"]()
            run = measure(command)
            own_cpu += run["cpu"]
            checks[(job, tool)] = spec["check"]()
            settings[(job, tool)] = x264_settings(spec["output"])
            if settings[(job, tool)] != settings[(job, tools[0])]:
                raise BenchFailure(f"{job}: libx264 ran with other settings under {tool}:\n{settings[(job, tool)]}\n"
                                   f"against the project's:\n{settings[(job, tools[0])]}")
            if tool == "mentorlink":
                report = json.loads(run["stdout"].strip().splitlines()[-1])
                if abs(report["durationMs"] / 1000 - spec["media"]) > 0.5:
                    raise BenchFailure(f"{job}: the project's report says {report['durationMs']} ms")
        for round_ in range(args.runs):
            for tool, command in zip(tools, spec["commands"]):
                spec["reset"]()
                run = measure(command)
                own_cpu += run["cpu"]
                checks[(job, tool)] = spec["check"]()
                results[(job, tool)].append(run)
                log(f"{job} {tool} round {round_ + 1}: {run['wall']:.2f} s wall, {run['cpu']:.2f} CPU s, {run['rss']:.0f} MiB")
    elapsed = time.perf_counter() - started
    busy = cpu_busy_seconds() - busy_start
    foreign = max(busy - own_cpu, 0.0)
    cores = os.cpu_count() or 1

    lines = [
        f"Inputs: two {args.seconds} s {args.size} {args.codec.upper()} + Opus WebM files at 30 fps (lavfi `testsrc2` + `sine`, "
        f"realtime libvpx at 1 Mb/s, a keyframe every 2 s, written through a pipe: no duration, no cues). "
        f"Settings (from the project's report, given to the CLI too): libx264 `{options['preset']}`, CRF {options['crf']}, "
        f"encoder threads {options['threads'] or 'auto'} (libx264 decides in both), yuv420p, a keyframe at least every "
        f"{options['keyframeIntervalMs'] / 1000:g} s (IDR), AAC 48 kHz at 64 kb/s per channel; composite "
        f"{options['canvasWidth']}x{options['canvasHeight']} at {options['fps']} fps, two tiles side by side, the second track "
        f"{offset_ms // 1000} s later, MP4 + fMP4 HLS ({options['hlsSegmentMs'] / 1000:g} s segments) from one encode. "
        f"{args.runs} measured runs per tool after one warm-up, interleaved; medians (peak RSS: the largest).",
        "",
        "| job | tool | media s | wall s | realtime × | CPU s | peak RSS MiB | output s | video kb/s | speed vs ffmpeg CLI |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ratios = {}
    for job, spec in jobs.items():
        cli_wall = statistics.median(r["wall"] for r in results[(job, "ffmpeg CLI")])
        for tool in tools:
            runs = results[(job, tool)]
            wall = statistics.median(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            rss = max(r["rss"] for r in runs)
            check = checks[(job, tool)]
            ratio = cli_wall / wall
            ratios[(job, tool)] = (ratio, cpu)
            label = "**mentorlink**" if tool == "mentorlink" else tool
            ratio_text = "1 (anchor)" if tool == "ffmpeg CLI" else f"{ratio:.2f}×"
            lines.append(f"| {job} | {label} | {spec['media']:.0f} | {wall:.2f} | {spec['media'] / wall:.1f} | {cpu:.2f} | {rss:.0f} | "
                         f"{check['duration']:.2f} | {check['video_kbps']:.0f} | {ratio_text} |")
    verdicts = []
    for job in jobs:
        ratio, cpu = ratios[(job, "mentorlink")]
        cli_cpu = ratios[(job, "ffmpeg CLI")][1]
        one_ratio = ratios[(job, "ffmpeg CLI, 1 decoding/filter thread")][0]
        goal = "meets" if ratio >= 0.95 else "**misses**"
        text = (f"{job}: **{ratio:.2f}×** the CLI's speed ({goal} the ≥ 0.95× goal), CPU {cpu / cli_cpu:.2f}× the CLI's; "
                f"the CLI held to one decoding/filter thread runs at {one_ratio:.2f}× its own speed")
        if shim:
            text += f", the project with frame-threaded video decoding at {ratios[(job, diagnostic)][0]:.2f}×"
        verdicts.append(text)
    lines += [
        "",
        "Speed vs the CLI = the CLI's median wall time ÷ this tool's. " + "; ".join(verdicts) + ".",
        f"Same encode checked: libx264's settings string in the outputs is identical for every tool (track: "
        f"`{settings[('track', 'mentorlink')][:80]}…`, threads={_x264_field(settings[('track', 'mentorlink')], 'threads')}, "
        f"keyint={_x264_field(settings[('track', 'mentorlink')], 'keyint')}; composite keyint="
        f"{_x264_field(settings[('composite', 'mentorlink')], 'keyint')}, "
        f"scenecut={_x264_field(settings[('composite', 'mentorlink')], 'scenecut')}).",
        f"Every output checked with ffprobe (H.264 yuv420p + AAC, size, duration ±0.5 s, keyframes ≤ 2 s apart; HLS: "
        f"`#EXT-X-ENDLIST`, `init.mp4`, {checks[('composite', 'mentorlink')]['segments']} segments whose `#EXTINF` add up to the "
        f"duration). Peak RSS is the child's `ru_maxrss` (the project's includes the Swift runtime of the one binary).",
        f"Machine load during these runs: {busy:.0f} busy CPU s over {elapsed:.0f} s on {cores} cores, {own_cpu:.0f} of them the runs' "
        f"own, so **{100 * foreign / (elapsed * cores):.0f} % of the machine** was busy with other work (load average "
        f"{load_start:.1f} → {os.getloadavg()[0]:.1f}).",
    ]
    return "\n".join(lines)


# ---- uploads

def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def checksum(data: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode()


class Connection:
    """One keep-alive HTTP connection; every answer is read to its end."""

    def __init__(self, url: str):
        parts = urllib.parse.urlsplit(url)
        self.http = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    def send(self, method: str, path: str, headers: dict, body: bytes = b"") -> tuple[int, dict, bytes]:
        self.http.request(method, path, body=body, headers=headers)
        answer = self.http.getresponse()
        data = answer.read()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, data

    def close(self):
        self.http.close()


def tus_upload(url: str, token: str, recording_id: str, chunks: list[bytes], sums: list[str]) -> tuple[str, float, list[float]]:
    """Creates a track and PATCHes the chunks; returns (track id, seconds from the first PATCH to the last answer,
    each PATCH's seconds). Every answer is checked."""
    auth = {"Authorization": f"Bearer {token}", "Origin": url, "Tus-Resumable": "1.0.0"}
    connection = Connection(url)
    try:
        status, headers, body = connection.send("POST", "/uploads/", {
            **auth, "Upload-Defer-Length": "1", "Upload-Metadata": f"recordingId {b64(recording_id)},filetype {b64('video/webm')}"})
        if status != 201 or not headers.get("location", "").startswith("/uploads/"):
            raise BenchFailure(f"tus creation: {status} {body[:200]!r}")
        location = headers["location"]
        total, offset, times = sum(len(c) for c in chunks), 0, []
        started = time.perf_counter()
        for index, (chunk, digest) in enumerate(zip(chunks, sums)):
            patch = {**auth, "Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset), "Upload-Checksum": digest}
            if index == len(chunks) - 1:
                patch["Upload-Length"] = str(total)
            begun = time.perf_counter()
            status, headers, body = connection.send("PATCH", location, patch, chunk)
            times.append(time.perf_counter() - begun)
            offset += len(chunk)
            if status != 204 or headers.get("upload-offset") != str(offset):
                raise BenchFailure(f"PATCH at {offset - len(chunk)}: {status} offset {headers.get('upload-offset')} {body[:200]!r}")
        seconds = time.perf_counter() - started
        status, headers, _ = connection.send("HEAD", location, auth)
        if status != 200 or headers.get("upload-offset") != str(total) or headers.get("upload-length") != str(total):
            raise BenchFailure(f"HEAD after the upload: {status} {headers}")
        return location.rsplit("/", 1)[1], seconds, times
    finally:
        connection.close()


ANCHOR_CONF = """# Throwaway nginx for scripts/bench media: the anchor that writes request bodies to disk by itself (WebDAV PUT).
worker_processes 1;
pid nginx.pid;
error_log logs/error.log warn;
daemon on;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 16m;
        location /anchor/ {{
            root {root};
            dav_methods PUT;
            create_full_put_path on;
        }}
    }}
}}
"""


class AnchorNginx:
    """nginx with one PUT location under `directory`, on `port`; run as www-data when we are root (as lib.sh does)."""

    def __init__(self, directory: str, port: int):
        self.directory, self.port = directory, port
        self.root = os.path.join(directory, "files")
        for sub in ("logs", "tmp", "files/anchor"):
            os.makedirs(os.path.join(directory, sub), exist_ok=True)
        with open(os.path.join(directory, "nginx.conf"), "w") as f:
            f.write(ANCHOR_CONF.format(port=port, root=self.root))
        self.prefix = [] if os.getuid() != 0 else ["runuser", "-u", "www-data", "--"]
        if os.getuid() == 0:
            subprocess.run(["chown", "-R", "www-data", directory], check=True)

    def command(self, *extra: str) -> list[str]:
        return [*self.prefix, "nginx", "-p", self.directory, "-c", os.path.join(self.directory, "nginx.conf"),
                "-e", os.path.join(self.directory, "logs", "error.log"), *extra]

    def __enter__(self):
        subprocess.run(self.command(), check=True)
        for _ in range(50):
            try:
                http.client.HTTPConnection("127.0.0.1", self.port, timeout=1).request("OPTIONS", "/")
                return self
            except OSError:
                time.sleep(0.1)
        raise BenchFailure("the anchor nginx did not start")

    def __exit__(self, *_):
        subprocess.run(self.command("-s", "quit"), check=False, stderr=subprocess.DEVNULL)

    def upload(self, name: str, chunks: list[bytes]) -> tuple[float, list[float]]:
        connection = Connection(f"http://127.0.0.1:{self.port}")
        times = []
        try:
            started = time.perf_counter()
            for index, chunk in enumerate(chunks):
                begun = time.perf_counter()
                status, _, body = connection.send("PUT", f"/anchor/{name}/{index:05d}", {"Content-Type": "application/octet-stream"}, chunk)
                times.append(time.perf_counter() - begun)
                if status not in (201, 204):
                    raise BenchFailure(f"anchor PUT {index}: {status} {body[:200]!r}")
            return time.perf_counter() - started, times
        finally:
            connection.close()

    def verify(self, name: str, chunks: list[bytes], whole: str) -> None:
        digest = hashlib.sha256()
        for index in range(len(chunks)):
            with open(os.path.join(self.root, "anchor", name, f"{index:05d}"), "rb") as f:
                digest.update(f.read())
        if digest.hexdigest() != whole:
            raise BenchFailure(f"anchor {name}: the files on disk are not the bytes sent")
        shutil.rmtree(os.path.join(self.root, "anchor", name))


def fsync_floor(directory: str, chunks: list[bytes]) -> float:
    """The disk alone: the chunks written one by one into one file, fsynced after each."""
    path = os.path.join(directory, "fsync-floor.bin")
    started = time.perf_counter()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for chunk in chunks:
            os.write(fd, chunk)
            os.fsync(fd)
    finally:
        os.close(fd)
    seconds = time.perf_counter() - started
    os.unlink(path)
    return seconds


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def upload_part(args) -> str:
    sys.path.insert(0, os.path.join(ROOT, "Tests", "Browser"))
    from harness import Stack, seed_open_session  # noqa: E402  (from Tests/Browser)

    stack = Stack(args.url, args.run_dir, os.path.join(args.run_dir, "bench-media-artifacts"))
    log("seeding a session with an open room and starting its recording")
    session = seed_open_session(stack, "Bea Benchmentor", "Ulla Uploader")
    recording = stack.seed_rpc("recordings.start", {"roomId": session.booking_id}, session.mentor_token)["recording"]
    if recording["state"] != "recording":
        raise BenchFailure(f"recordings.start: {recording}")
    size, chunk_size = args.upload_mib << 20, args.chunk_mib << 20
    data = os.urandom(size)
    chunks = [data[i:i + chunk_size] for i in range(0, size, chunk_size)]
    sums = [checksum(c) for c in chunks]
    whole = hashlib.sha256(data).hexdigest()
    mib = size / (1 << 20)
    scratch = os.path.join(args.run_dir, "bench-media-anchor")
    tus, anchor, floor, tus_patch, anchor_put = [], [], [], [], []
    busy_start, load_start, started = cpu_busy_seconds(), os.getloadavg()[0], time.perf_counter()
    with AnchorNginx(scratch, free_port()) as nginx:
        nginx.upload("warm-up", chunks[:2])
        for round_ in range(args.uploads):
            track, seconds, times = tus_upload(stack.url, session.mentee_token, recording["id"], chunks, sums)
            staged = os.path.join(args.run_dir, "uploads", f"{track}.part")
            with open(staged, "rb") as f:
                if hashlib.sha256(f.read()).hexdigest() != whole:
                    raise BenchFailure(f"the staged file {staged} is not the bytes sent")
            tus.append(mib / seconds)
            tus_patch += times
            seconds_anchor, times = nginx.upload(f"round-{round_}", chunks)
            nginx.verify(f"round-{round_}", chunks, whole)
            anchor.append(mib / seconds_anchor)
            anchor_put += times
            floor.append(mib / fsync_floor(scratch, chunks))
            log(f"upload round {round_ + 1}: tus {tus[-1]:.0f} MiB/s, nginx PUT {anchor[-1]:.0f} MiB/s, write+fsync {floor[-1]:.0f} MiB/s")
    elapsed, busy = time.perf_counter() - started, cpu_busy_seconds() - busy_start
    got = stack.seed_rpc("recordings.get", {"recordingId": recording["id"]}, session.mentee_token)["recording"]
    complete = [t for t in got["tracks"] if t.get("complete") and t.get("bytes") == size]
    if len(complete) != args.uploads:
        raise BenchFailure(f"recordings.get: {len(complete)} complete tracks of {size} bytes, expected {args.uploads}")
    shutil.rmtree(scratch, ignore_errors=True)

    def ms(values):
        return f"{1000 * statistics.median(values):.1f}", f"{1000 * max(values):.1f}"

    t, a, f = statistics.median(tus), statistics.median(anchor), statistics.median(floor)
    rows = [
        f"| anchor: nginx alone, WebDAV `PUT` of each chunk to a file (no sync) | {a:.0f} | {min(anchor):.0f} | {ms(anchor_put)[0]} | "
        f"{ms(anchor_put)[1]} | 1 |",
        f"| **tus `PATCH /uploads/<id>` through nginx → worker** (checksum, row lock, write + fsync, commit) | {t:.0f} | {min(tus):.0f} | "
        f"{ms(tus_patch)[0]} | {ms(tus_patch)[1]} | {t / a:.2f}× |",
        f"| reference: the disk alone, each chunk written + fsynced (Python, no HTTP) | {f:.0f} | {min(floor):.0f} | | | {f / a:.2f}× |",
    ]
    return "\n".join([
        f"{args.uploads} uploads of {args.upload_mib} MiB (random bytes) in {args.chunk_mib} MiB chunks, one keep-alive connection "
        f"each, client on the same machine; the tus track created with a deferred length, every PATCH with its sha256 "
        f"`Upload-Checksum`, the length declared with the last; rounds interleaved (tus, nginx PUT, disk).",
        "",
        "| path | median MiB/s | worst MiB/s | per-chunk median ms | per-chunk max ms | ÷ nginx alone |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Checked: every PATCH answered 204 with the new `Upload-Offset`, HEAD afterwards gave offset = length = {size}, each staged "
        f"file's sha256 is the bytes sent, `recordings.get` lists {args.uploads} complete tracks of {size} bytes; every PUT answered "
        f"201/204 and the anchor's files hold the same bytes. Machine during the uploads: {busy:.0f} busy CPU s over {elapsed:.0f} s on "
        f"{os.cpu_count()} cores (client, nginx, worker and PostgreSQL included; load average {load_start:.1f} → {os.getloadavg()[0]:.1f}).",
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["media", "upload", "all"], default="all")
    parser.add_argument("--mentorlink", default=os.path.join(ROOT, ".build", "release", "mentorlink"))
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--codec", choices=["vp8", "vp9"], default="vp8")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="the stack's nginx, for the upload part")
    parser.add_argument("--run-dir", help="the stack's run directory, for the upload part")
    parser.add_argument("--upload-mib", type=int, default=64)
    parser.add_argument("--chunk-mib", type=int, default=4)
    parser.add_argument("--uploads", type=int, default=5)
    args = parser.parse_args()
    if args.part in ("upload", "all") and not (args.url and args.run_dir):
        parser.error("the upload part needs --url and --run-dir")
    if not 1 <= args.chunk_mib <= 16:
        parser.error("--chunk-mib must be 1...16 (nginx and the worker take at most 16 MiB per request)")
    sections = []
    try:
        if args.part in ("media", "all"):
            sections.append("### Transcoding: the project's transcoder against the ffmpeg CLI\n\n" + media_part(args))
        if args.part in ("upload", "all"):
            sections.append("### Uploads: tus through nginx against nginx writing the bytes by itself\n\n" + upload_part(args))
    except BenchFailure as failure:
        print(f"media_bench: FAILED: {failure}", file=sys.stderr)
        return 1
    print("\n\n".join(sections))
    return 0


if __name__ == "__main__":
    sys.exit(main())

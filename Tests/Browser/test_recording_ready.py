"""A recorded session comes back as media: the mentor joins a consenting room (it records by itself), the mentee 3 s
later; each records 10 s and leaves. The room empty, the recording stops, the tracks complete, `mentorlink consume
media` transcodes them and the recording reaches `ready`. Each participant's MP4 and the composite are H.264 + AAC
(ffprobe) and last 10 ± 1 s (the composite 13 ± 1 s); the composite places the mentee's tile where the mentee's page
began recording relative to the mentor's (both pages' clocks are this machine's), within 100 ms; the HLS playlist's
segments play through the signed link; the mentor's Recordings page plays the composite in the browser."""
import json
import os
import subprocess
import tempfile
import time
import urllib.request

from playwright.sync_api import Page, expect

from harness import DESKTOP, Browsers, Stack, seed_open_session, sign_in
from test_recording import indicator, poll_recording, recorder
from test_room import join

#: How long each page records, and how much later the mentee's page starts than the mentor's.
RECORD_S, STAGGER_S = 10.0, 3.0


def recording_start(page: Page, timeout: float = 20) -> dict:
    """The page's track once it has started (its recorder's start on this machine's clock, ms since 1970)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        state = recorder(page)
        if state.get("startedAtMs") and state.get("trackUrl"):
            return state
        page.wait_for_timeout(50)
    raise AssertionError(f"the page did not start a track: {recorder(page)}")


def leave_at(page: Page, started_ms: float) -> None:
    """Presses "Leave" RECORD_S after the page's track started."""
    wait = started_ms / 1000 + RECORD_S - time.time()
    if wait > 0:
        page.wait_for_timeout(wait * 1000)
    page.get_by_role("button", name="Leave").click()


def download(stack: Stack, url: str, path: str) -> None:
    with urllib.request.urlopen(url if url.startswith("http") else stack.url + url, timeout=30) as answer:
        assert answer.status == 200, (url, answer.status)
        with open(path, "wb") as out:
            out.write(answer.read())


def probe(path: str) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
                         capture_output=True, text=True, check=True).stdout
    media = json.loads(out)
    codecs = sorted(s["codec_name"] for s in media["streams"])
    return {"codecs": codecs, "duration": float(media["format"]["duration"]),
            "width": max((s.get("width", 0) for s in media["streams"]), default=0),
            "height": max((s.get("height", 0) for s in media["streams"]), default=0)}


def first_picture_s(path: str, x: int, y: int, w: int, h: int) -> float:
    """When the area (a tile of the composite) first shows a picture rather than the placeholder (mean luma 40)."""
    out = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", path, "-an", "-vf",
         f"crop={w}:{h}:{x}:{y},signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-", "-f", "null", "-"],
        capture_output=True, text=True, check=True).stdout
    pts = None
    for line in out.splitlines():
        if line.startswith("frame:"):
            pts = float(line.split("pts_time:")[1])
        elif line.startswith("lavfi.signalstats.YAVG=") and pts is not None:
            if abs(float(line.split("=")[1]) - 40) > 6:
                return pts
    raise AssertionError(f"the tile at {x},{y} never shows a picture")


def test_recording_reaches_ready(stack: Stack, browsers: Browsers) -> None:
    seeded = seed_open_session(stack, "Rita Ready", "Remo Ready")
    stack.allow_sign_ups()
    mentor_context, mentee_context = browsers.context(DESKTOP), browsers.context(DESKTOP)
    mentor, mentee = browsers.page(mentor_context), browsers.page(mentee_context)

    # The mentee signs in first and waits in My sessions; the mentor joins and records.
    mentee.goto(stack.url + "/")
    sign_in(mentee, seeded.mentee_email)
    mentee.get_by_role("navigation", name="Main").get_by_role("link", name="My sessions").click()
    join_button = mentee.get_by_role("region", name="Upcoming").get_by_role("button", name="Join session").first
    expect(join_button).to_be_visible()
    join(mentor, stack, seeded.mentor_email)
    expect(indicator(mentor)).to_contain_text("Recording", timeout=15_000)
    mentor_track = recording_start(mentor)
    recording_id = mentor_track["recordingId"]
    # The mentee joins about STAGGER_S after the mentor's page began recording (joining takes a moment).
    wait = mentor_track["startedAtMs"] / 1000 + STAGGER_S - 0.5 - time.time()
    if wait > 0:
        mentee.wait_for_timeout(wait * 1000)
    join_button.click()
    mentee_track = recording_start(mentee)
    stagger_ms = mentee_track["startedAtMs"] - mentor_track["startedAtMs"]
    print(f"   the mentee's page began recording {stagger_ms:.0f} ms after the mentor's")
    assert 1000 < stagger_ms < 8000, stagger_ms

    leave_at(mentor, mentor_track["startedAtMs"])
    leave_at(mentee, mentee_track["startedAtMs"])
    left = time.time()
    for page in (mentor, mentee):
        expect(page.get_by_text("Upload complete")).to_be_visible(timeout=20_000)

    recording = poll_recording(stack, recording_id, seeded.mentor_token, lambda r: r["state"] in ("ready", "partial", "failed"),
                               "the recording is transcoded", timeout=180)
    print(f"   {recording['state']} {time.time() - left:.1f} s after both left; outputs: " +
          ", ".join(f"{o['kind']} {o['durationMs']} ms" for o in recording["outputs"]))
    assert recording["state"] == "ready", recording
    assert not recording["gaps"], recording["gaps"]
    tracks = {t["participantId"].lower(): t for t in recording["tracks"]}
    assert set(tracks) == {seeded.mentor_id.lower(), seeded.mentee_id.lower()}, recording["tracks"]
    assert all(t["complete"] for t in tracks.values()), recording["tracks"]
    kinds = sorted(o["kind"] for o in recording["outputs"])
    assert kinds == ["composite", "hls", "mp4", "mp4"], kinds

    with tempfile.TemporaryDirectory() as work:
        for output in recording["outputs"]:
            if output["kind"] == "hls":
                continue
            path = os.path.join(work, f"{output['kind']}-{output.get('participantId') or 'all'}.mp4")
            download(stack, output["url"], path)
            media = probe(path)
            assert media["codecs"] == ["aac", "h264"], (output, media)
            expected = RECORD_S + (stagger_ms / 1000 if output["kind"] == "composite" else 0)
            assert abs(media["duration"] - expected) <= 1.0, f"{output['kind']}: {media['duration']:.2f} s, wanted {expected:.1f} ± 1 s"
            print(f"   {output['kind']} {output.get('participantId', '')[:8]}: {media['codecs']} {media['duration']:.2f} s")
            if output["kind"] == "composite":
                composite, size = path, (media["width"], media["height"])

        # Side by side, in the order the tracks started: the mentee's tile is the right half. Its first picture
        # must stand where the mentee's page began recording, measured from the mentor's start.
        width, height = size
        shown = first_picture_s(composite, width // 2, 0, width // 2, height)
        mentor_first = first_picture_s(composite, 0, 0, width // 2, height)
        offset_ms = (shown - mentor_first) * 1000
        print(f"   composite: the mentee's tile begins at {offset_ms:.0f} ms (pages: {stagger_ms:.0f} ms)")
        assert abs(offset_ms - stagger_ms) <= 100, f"aligned {offset_ms:.0f} ms vs recorded {stagger_ms:.0f} ms"

        # HLS: the playlist and every segment it names, through the same signed link.
        hls = next(o for o in recording["outputs"] if o["kind"] == "hls")
        playlist = os.path.join(work, "index.m3u8")
        download(stack, hls["url"], playlist)
        base = hls["url"].rsplit("/", 1)[0]
        names = [line.strip() for line in open(playlist) if line.strip() and not line.startswith("#")]
        maps = [line.split('URI="')[1].split('"')[0] for line in open(playlist) if line.startswith("#EXT-X-MAP")]
        assert names, open(playlist).read()
        for name in maps + names:
            download(stack, f"{base}/{name}", os.path.join(work, os.path.basename(name)))
        print(f"   HLS: {len(names)} segments")

    # The mentor's Recordings page: the recording is ready; "Watch" plays the composite through the signed link.
    mentor.get_by_role("navigation", name="Main").get_by_role("link", name="Recordings").click()
    listed = mentor.get_by_role("list", name="Your recordings").get_by_role("listitem").first
    expect(listed.get_by_role("status")).to_have_text("Ready")
    listed.get_by_role("button", name="Watch").click()
    video = mentor.get_by_role("region", name="Watching").locator("video")
    mentor.wait_for_function("v => v.readyState >= 2 && v.duration > 0", arg=video.element_handle(), timeout=15_000)
    duration = video.evaluate("v => v.duration")
    assert abs(duration - (RECORD_S + stagger_ms / 1000)) <= 1.0, duration
    video.evaluate("v => { v.muted = true; return v.play(); }")
    mentor.wait_for_function("v => v.currentTime > 0.5", arg=video.element_handle(), timeout=15_000)
    expect(mentor.get_by_role("list", name="Each participant").get_by_role("link")).to_have_count(2)
    stack.shot(mentor, "recordings-desktop")
    print(f"   the Recordings page plays it ({duration:.2f} s)")
    mentee_context.close()
    mentor_context.close()

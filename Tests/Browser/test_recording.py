"""Recording in the room: the booking consented, so the room records by itself once mentor and mentee are in (both see
"● Recording"); each page records its camera into IndexedDB and uploads it with tus. Uploads cut by the test (every
/uploads/ request aborted for 5 s) resume from the server's offset (HEAD) and catch up; the mentee's page closed
mid-recording leaves its track to the next page, which finishes it (recordings.get: complete); the mentor's "Stop
recording" ends it, and every track reaches the server whole."""
import time

from playwright.sync_api import Page, expect

from harness import DESKTOP, PHONE, Browsers, Stack, seed_open_session
from test_room import join

STATE = "() => window.__mentorlinkRecorder ? window.__mentorlinkRecorder.state() : null"


def recorder(page: Page) -> dict:
    return page.evaluate(STATE) or {}


def indicator(page: Page):
    return page.get_by_role("region", name="Recording").get_by_role("status")


def wait_acked(page: Page, at_least: int, timeout: float = 15) -> dict:
    """Until the page's latest track has more than `at_least` bytes acknowledged by the server."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        state = recorder(page)
        if state.get("ackedOffset", 0) > at_least:
            return state
        page.wait_for_timeout(200)
    raise AssertionError(f"acknowledged bytes stayed at {recorder(page)} (wanted > {at_least})")


def poll_recording(stack: Stack, recording_id: str, token: str, done, what: str, timeout: float = 15) -> dict:
    deadline = time.time() + timeout
    while True:
        recording = stack.seed_rpc("recordings.get", {"recordingId": recording_id}, token)["recording"]
        if done(recording) or time.time() > deadline:
            assert done(recording), f"{what}: {recording}"
            return recording
        time.sleep(0.3)


def test_recording_uploads_resume_and_stop(stack: Stack, browsers: Browsers) -> None:
    seeded = seed_open_session(stack, "Rhea Record", "Rolf Record")
    stack.allow_sign_ups()
    mentor_context, mentee_context = browsers.context(DESKTOP), browsers.context(PHONE)
    mentor, mentee = browsers.page(mentor_context), browsers.page(mentee_context)
    join(mentor, stack, seeded.mentor_email)
    join(mentee, stack, seeded.mentee_email)

    # Auto-recording: both pages show it and record a track each.
    for page in (mentor, mentee):
        expect(indicator(page)).to_contain_text("Recording", timeout=15_000)
    expect(mentor.get_by_role("button", name="Stop recording")).to_be_visible()
    expect(mentee.get_by_role("button", name="Stop recording")).to_have_count(0)
    mentee.wait_for_timeout(4_000)
    first = wait_acked(mentee, 0)
    recording_id, first_track = first["recordingId"], first["trackUrl"]
    assert first_track and first_track.startswith("/uploads/"), first
    grown = wait_acked(mentee, first["ackedOffset"])
    wait_acked(mentor, 0)
    print(f"   mentee acknowledged {first['ackedOffset']} then {grown['ackedOffset']} bytes")
    expect(mentee.get_by_text("Uploading…")).to_be_visible()
    stack.shot(mentor, "room-recording-desktop")
    stack.shot(mentee, "room-recording-phone")

    # Uploads cut for 5 s: slices pile up in IndexedDB; then the uploader asks the server's offset and catches up.
    heads, patches = [], []
    mentee.on("response", lambda r: r.request.method == "HEAD" and "/uploads/" in r.url and heads.append((time.time(), int(r.headers.get("upload-offset", "-1")))))
    mentee.on("request", lambda r: r.method == "PATCH" and "/uploads/" in r.url and patches.append((time.time(), int(r.headers.get("upload-offset", "-1")))))
    mentee.route("**/uploads/**", lambda route: route.abort())
    cut = recorder(mentee)
    mentee.wait_for_timeout(5_000)
    during = recorder(mentee)
    assert during["ackedOffset"] <= cut["ackedOffset"] + 300_000, (cut, during)  # at most the request under way got through
    assert during["pendingSlices"] >= 3, f"slices should wait in IndexedDB: {during}"
    mentee.unroute("**/uploads/**")
    restored = time.time()
    caught_up = wait_acked(mentee, during["bytesRecorded"], timeout=15)
    after = [h for h in heads if h[0] >= restored]
    assert after, "no HEAD after the outage"
    resumed = [p for p in patches if p[0] >= after[0][0]]
    assert resumed and resumed[0][1] == after[0][1], f"the first PATCH after the HEAD goes on from the server's offset: {after[0]} {resumed[:1]}"
    print(f"   after the outage: HEAD at offset {after[0][1]}, caught up ({caught_up['ackedOffset']} bytes) {time.time() - restored:.1f} s later")
    # The aborted requests are the test's doing (the browser logs them as failed loads).
    browsers.problems[:] = [p for p in browsers.problems if "net::ERR_FAILED" not in p]

    # The mentee's page closes mid-recording; a new page of the same browser finishes the old track and records anew.
    mentee.close()
    mentee = browsers.page(mentee_context)
    mentee.goto(f"{stack.url}/sessions/{seeded.booking_id}/room")
    expect(mentee.get_by_role("status").filter(has_text="In the room.")).to_be_visible()
    expect(indicator(mentee)).to_contain_text("Recording")
    old_id = first_track.rsplit("/", 1)[1].lower()
    recording = poll_recording(stack, recording_id, seeded.mentee_token,
                               lambda r: any(t["id"].lower() == old_id and t["complete"] for t in r["tracks"]),
                               "the closed page's track completes from the next page")
    old = next(t for t in recording["tracks"] if t["id"].lower() == old_id)
    assert old["length"] == old["bytes"] and old["bytes"] >= caught_up["ackedOffset"], old
    wait_acked(mentee, 0)
    assert recorder(mentee)["trackUrl"] != first_track, "the new page records a new track"

    # The mentor stops: the indicator goes on both pages, the last bytes and lengths reach the server.
    mentor.get_by_role("button", name="Stop recording").click()
    for page in (mentor, mentee):
        expect(indicator(page)).not_to_contain_text("Recording")
        expect(page.get_by_text("Upload complete")).to_be_visible(timeout=15_000)
    expect(mentor.get_by_role("button", name="Start recording")).to_be_visible()
    recording = poll_recording(stack, recording_id, seeded.mentor_token,
                               lambda r: r["state"] != "recording" and r["tracks"] and all(t["complete"] for t in r["tracks"]),
                               "stopped with every track complete")
    mentee_id = seeded.mentee_id.lower()
    assert len([t for t in recording["tracks"] if t["participantId"].lower() == mentee_id]) == 2, recording["tracks"]
    assert len([t for t in recording["tracks"] if t["participantId"].lower() == seeded.mentor_id.lower()]) == 1, recording["tracks"]
    print(f"   stopped: state {recording['state']}, tracks " + ", ".join(f"{t['bytes']} B" for t in recording["tracks"]))
    mentee_context.close()
    mentor_context.close()

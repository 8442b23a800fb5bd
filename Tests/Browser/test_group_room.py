"""A group session's room: the mentor and two seat holders make a three-way mesh (each page connected to the other
two, video decoded from both); the mentor mutes one participant (their microphone and chat go off) and removes the
other (their page says so, their video leaves the others' pages, and rejoining is refused)."""
import time

from playwright.sync_api import expect

from harness import DESKTOP, PHONE, Browsers, Stack, frames_decoded, signed_in_page, wait_for_decoding

ALL_CONNECTED = """(n) => { const r = window.__mentorlinkRoom; if (!r) return false;
  const states = Object.values(r.connectionStates()); return states.length === n && states.every((s) => s === 'connected'); }"""


def test_group_room_mesh_mute_remove(stack: Stack, browsers: Browsers) -> None:
    mentor_id, mentor_token = stack.seed_mentor_account("Greta Group", ["facilitation"])
    mentor_email = stack.seed_rpc("identity.me", {}, mentor_token)["user"]["email"]
    start = time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(time.time() + 240))
    group = stack.seed_rpc("sessions.createGroup", {"start": start, "minutes": 30, "capacity": 3, "title": "Mesh clinic",
                                                    "topic": "webrtc"}, mentor_token)["booking"]
    seats = []
    for name in ("Ann Seat", "Ben Seat"):
        email, token = stack.account("mentee", name)
        user_id = stack.seed_rpc("identity.me", {}, token)["user"]["id"].lower()
        seat = stack.seed_rpc("booking.join", {"groupSessionId": group["id"]}, token)["booking"]
        seats.append((email, user_id, seat["id"]))
    stack.allow_sign_ups()

    pages = []
    started = time.time()
    for email, room_id, viewport in ((mentor_email, group["id"], DESKTOP), (seats[0][0], seats[0][2], PHONE), (seats[1][0], seats[1][2], DESKTOP)):
        page = signed_in_page(stack, browsers, email, viewport)
        page.goto(f"{stack.url}/sessions/{room_id}/room")
        pages.append(page)
    mentor, ann, ben = pages
    for page in pages:
        expect(page.get_by_role("status").filter(has_text="In the room.")).to_be_visible()
    try:
        for page in pages:
            page.wait_for_function(ALL_CONNECTED, arg=2, timeout=20_000, polling=100)
    except Exception:
        states = [page.evaluate("window.__mentorlinkRoom && [window.__mentorlinkRoom.connectionStates(), window.__mentorlinkRoom.trace()]")
                  for page in pages]
        raise AssertionError(f"mesh not connected (ids {[s[1] for s in seats]}):\n" + "\n".join(f"{who}: {state}" for who, state in zip(("mentor", "ann", "ben"), states)))
    for page in pages:
        wait_for_decoding(page, 2)
        expect(page.locator("video")).to_have_count(3)
    print(f"   three-way mesh connected and decoding on every page {time.time() - started:.1f} s after the first page opened (sign-ins included)")
    stack.shot(mentor, "group-room-desktop")

    people = mentor.get_by_role("region", name="Participants")
    ann_row, ben_row = (people.locator(f'li[data-user="{seat[1]}"]') for seat in seats)
    expect(ann_row).to_contain_text("online")
    expect(ann.get_by_role("region", name="Participants").get_by_role("button", name="Remove", exact=False)).to_have_count(0)

    # Mute: Ann's microphone and chat go off; the others see "muted".
    ann_row.get_by_role("button", name="Mute").click()
    expect(ann.get_by_role("alert")).to_contain_text("The mentor muted you")
    expect(ann.get_by_label("Message")).to_be_disabled()
    expect(ann.get_by_role("button", name="Unmute")).to_be_disabled()
    expect(ann_row).to_contain_text("muted")
    stack.shot(ann, "group-room-muted-phone")

    # Remove: Ben's page says so and leaves the room; his video leaves the others' pages; he cannot come back.
    ben_row.get_by_role("button", name="Remove").click()
    expect(ben.get_by_role("status").filter(has_text="You were removed from this session.")).to_be_visible()
    expect(ben.locator("video")).to_have_count(0)
    expect(ben_row).to_contain_text("removed")
    for page in (mentor, ann):
        expect(page.locator("video")).to_have_count(2)
    ben.reload()
    expect(ben.get_by_role("status").filter(has_text="You were removed from this session.")).to_be_visible()
    for page in pages:
        page.context.close()


# Before the app's scripts: the camera and microphone arrive 3 s after the page asks for them (a slow device, or a
# permission prompt answered late), so the other participant's offer is answered before there is anything to send.
LATE_CAMERA = """
(() => {
  const media = navigator.mediaDevices;
  const open = media.getUserMedia.bind(media);
  media.getUserMedia = (constraints) => new Promise((resolve) => setTimeout(resolve, 3000)).then(() => open(constraints));
})();
"""


def test_mesh_camera_that_comes_late_is_sent(stack: Stack, browsers: Browsers) -> None:
    """The mentor's camera comes up only after the mentee's offer was answered (the answer could not send anything):
    the mentor's video must still reach the mentee, decoded and still flowing seconds later (it did not: the offer's
    transceivers stayed receive-only)."""
    _, mentor_token = stack.seed_mentor_account("Lena Late", ["facilitation"])
    mentor_email = stack.seed_rpc("identity.me", {}, mentor_token)["user"]["email"]
    start = time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(time.time() + 240))
    group = stack.seed_rpc("sessions.createGroup", {"start": start, "minutes": 30, "capacity": 1, "title": "Late camera",
                                                    "topic": "webrtc"}, mentor_token)["booking"]
    email, token = stack.account("mentee", "Milo Early")
    seat = stack.seed_rpc("booking.join", {"groupSessionId": group["id"]}, token)["booking"]
    stack.allow_sign_ups()
    mentor = signed_in_page(stack, browsers, mentor_email, scripts=(LATE_CAMERA,))
    mentee = signed_in_page(stack, browsers, email)
    mentee.goto(f"{stack.url}/sessions/{seat['id']}/room")
    expect(mentee.get_by_role("status").filter(has_text="In the room.")).to_be_visible()
    mentor.goto(f"{stack.url}/sessions/{group['id']}/room")
    for page in (mentor, mentee):
        wait_for_decoding(page, 1, timeout=30)
    before = [list(frames_decoded(page).values()) for page in (mentor, mentee)]
    time.sleep(2)
    after = [list(frames_decoded(page).values()) for page in (mentor, mentee)]
    traces = "\n".join(str(page.evaluate("window.__mentorlinkRoom.trace()")) for page in (mentor, mentee))
    for who, b, a in zip(("mentor", "mentee"), before, after):
        assert len(b) == len(a) == 1 and a[0] > b[0], f"{who}'s page stopped decoding the other's video: {b} → {a}\n{traces}"
    for page in (mentor, mentee):
        page.context.close()

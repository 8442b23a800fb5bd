"""The session room: mentor and mentee join from two browsers; video connects both ways (each page's
RTCPeerConnection reports "connected" and getStats counts decoded video frames), chat goes both ways with typing,
presence shows; a dropped WebSocket (cut by the test) and a page reload resume without losing chat messages and
reconnect the video; leaving updates the other side. Prints the time from "Join session" to "connected"."""
import time

from playwright.sync_api import Page, expect

from harness import DESKTOP, PHONE, Browsers, Stack, frames_decoded, seed_open_session, sign_in, wait_for_decoding

CONNECTED = """() => { const r = window.__mentorlinkRoom;
  return !!r && Object.values(r.connectionStates()).some((s) => s === 'connected'); }"""

# Records in the page whether the participant `userId` was shown offline at any moment (a MutationObserver: the
# offline spell between a cut socket and the rejoin is short).
SAW_OFFLINE = """(userId) => { window.__sawOffline = false;
  const check = () => { if (document.querySelector(`li[data-user="${userId}"][data-online="false"]`)) window.__sawOffline = true; };
  new MutationObserver(check).observe(document.body, { subtree: true, attributes: true, childList: true }); }"""


def frames(page: Page) -> int:
    return min(frames_decoded(page).values(), default=0)


def wait_for_video(page: Page, more_than: int = 0) -> None:
    """Until the page's peer connection is connected and decodes video frames (more than `more_than`)."""
    page.wait_for_function(CONNECTED, timeout=20_000, polling=100)
    wait_for_decoding(page, least=more_than)


def join(page: Page, stack: Stack, email: str) -> float:
    """Signs in, opens My sessions and presses "Join session"; returns when it was pressed (epoch s)."""
    page.goto(stack.url + "/")
    sign_in(page, email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My sessions").click()
    button = page.get_by_role("region", name="Upcoming").get_by_role("button", name="Join session").first
    pressed = time.time()
    button.click()
    expect(page.get_by_role("heading", level=1, name="Session room")).to_be_visible()
    return pressed


def test_room_video_chat_presence_resume(stack: Stack, browsers: Browsers) -> None:
    seeded = seed_open_session(stack, "Rosa Room", "Remy Room")
    stack.allow_sign_ups()
    mentor_context = browsers.context(DESKTOP)
    mentee_context = browsers.context(PHONE)
    mentor, mentee = browsers.page(mentor_context), browsers.page(mentee_context)
    sockets = []

    def through(ws):  # the test sits between the mentee's page and the server, to cut the socket as a network would
        ws.connect_to_server()
        sockets.append(ws)

    mentee.route_web_socket("**/rpc/ws", through)

    join(mentor, stack, seeded.mentor_email)
    expect(mentor.get_by_role("status").filter(has_text="In the room.")).to_be_visible()
    mentor_log = mentor.get_by_role("log", name="Chat")
    mentor_people = mentor.get_by_role("region", name="Participants")
    expect(mentor_people.locator("li", has_text="Mentee")).to_contain_text("offline")
    second_joined = join(mentee, stack, seeded.mentee_email)
    mentee_log = mentee.get_by_role("log", name="Chat")

    # Video both ways: a video element per participant (one's own preview included), connected, frames decoded.
    for page, other in ((mentor, "Camera of Mentee"), (mentee, "Camera of Rosa Room")):
        expect(page.locator("video")).to_have_count(2)
        expect(page.get_by_label("Your camera")).to_be_visible()
        expect(page.get_by_label(other)).to_be_visible()
    mentee.wait_for_function(CONNECTED, timeout=20_000, polling=50)
    connected_mentee = time.time()
    mentor.wait_for_function(CONNECTED, timeout=20_000, polling=50)
    connected_mentor = time.time()
    wait_for_video(mentor)
    wait_for_video(mentee)
    frames_at = time.time()
    print(f"   connected {connected_mentee - second_joined:.2f} s (mentee) / {connected_mentor - second_joined:.2f} s (mentor) "
          f"after the second 'Join session'; frames decoded both ways after {frames_at - second_joined:.2f} s")

    # Presence both ways.
    expect(mentor_people.locator("li", has_text="Mentee")).to_contain_text("online")
    expect(mentee.get_by_role("region", name="Participants").locator("li", has_text="Rosa Room")).to_contain_text("online")

    # Chat both ways, with typing shown to the other side.
    mentee.get_by_label("Message").fill("Hello from the mentee")
    expect(mentor.get_by_text("Mentee is typing…")).to_be_visible()
    mentee.get_by_role("button", name="Send").click()
    expect(mentor_log).to_contain_text("Hello from the mentee")
    expect(mentee_log).to_contain_text("Hello from the mentee")
    expect(mentor.get_by_text("Mentee is typing…")).to_have_count(0)
    mentor.get_by_label("Message").fill("Welcome, Remy")
    mentor.get_by_role("button", name="Send").click()
    expect(mentee_log).to_contain_text("Welcome, Remy")
    expect(mentee.get_by_label("Message")).to_have_value("")
    stack.shot(mentor, "room-desktop")
    stack.shot(mentee, "room-phone")

    # A dropped WebSocket: a message sent meanwhile is not lost, the page rejoins and the video comes back.
    opened = len(sockets)  # signing in reopens the socket with the new cookies: the last one is live
    before = frames(mentee)
    mentor.evaluate(SAW_OFFLINE, seeded.mentee_id.lower())
    sockets[-1].close(code=4001, reason="dropped by the test")
    stack.seed_rpc("rooms.send", {"roomId": seeded.booking_id, "text": "Sent while you were away"}, seeded.mentor_token)
    expect(mentee.get_by_role("status").filter(has_text="rejoining the room")).to_be_visible()
    cut = time.time()
    mentor.wait_for_function("""() => document.querySelector('[data-online="false"]') !== null""", timeout=5_000, polling=10)
    expect(mentee.get_by_role("status").filter(has_text="In the room.")).to_be_visible()
    expect(mentee_log).to_contain_text("Sent while you were away")
    expect(mentor_log).to_contain_text("Sent while you were away")
    wait_for_video(mentee, before)
    wait_for_video(mentor)
    expect(mentor_people.locator("li", has_text="Mentee")).to_contain_text("online")
    assert mentor.evaluate("window.__sawOffline"), "the mentor did not see the mentee go offline (presence.left)"
    print(f"   after the cut socket: rejoined and video decoding again {time.time() - cut:.2f} s later")
    expect(mentee_log.locator("li")).to_have_count(3)
    assert len(sockets) == opened + 1, "the page did not open a new socket"
    mentee.get_by_label("Message").fill("Back again")
    mentee.get_by_role("button", name="Send").click()
    expect(mentor_log).to_contain_text("Back again")

    # A reload: the history comes back in order, the room is joined again and the video reconnects.
    mentee.reload()
    reloaded = time.time()
    expect(mentee.get_by_role("status").filter(has_text="In the room.")).to_be_visible()
    expect(mentee_log.locator("li")).to_have_count(4)
    texts = mentee_log.locator("li p").all_inner_texts()
    assert texts == ["Hello from the mentee", "Welcome, Remy", "Sent while you were away", "Back again"], texts
    wait_for_video(mentee)
    wait_for_video(mentor)
    if time.time() - reloaded > 3:  # the connection watchdog had to start over: say why
        for who, page in (("mentor", mentor), ("mentee", mentee)):
            print(f"   {who} trace: " + "\n     ".join(page.evaluate("window.__mentorlinkRoom.trace()")))
    print(f"   after a reload: video decoding again {time.time() - reloaded:.2f} s later")
    expect(mentor_people.locator("li", has_text="Mentee")).to_contain_text("online")

    # Mute and camera off are local toggles; leaving updates the other side.
    mentee.get_by_role("button", name="Mute").click()
    expect(mentee.get_by_role("button", name="Unmute")).to_be_visible()
    mentee.get_by_role("button", name="Camera off").click()
    expect(mentee.get_by_role("button", name="Camera on")).to_be_visible()
    mentee.get_by_role("button", name="Leave").click()
    expect(mentee.get_by_role("status").filter(has_text="You left the session.")).to_be_visible()
    expect(mentor_people.locator("li", has_text="Mentee")).to_contain_text("offline")
    expect(mentor.locator("video")).to_have_count(1)
    expect(mentor.get_by_label("Camera of Mentee")).to_have_count(0)
    stack.shot(mentor, "room-left-desktop")
    mentee_context.close()
    mentor_context.close()

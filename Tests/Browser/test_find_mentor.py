"""A mentee signs up, finds a mentor by a misspelled skill, opens the profile, signs out; desktop and phone width."""
import re

from playwright.sync_api import expect

from harness import DESKTOP, PASSWORD, PHONE, Browsers, Stack, random_word


def test_sign_up_search_sign_out(stack: Stack, browsers: Browsers) -> None:
    skill = "quantum" + random_word(4) + "ology"
    misspelled = skill.replace("ology", "olgy")
    mentor_name = f"Ada {random_word(6).capitalize()}"
    mentor_id = stack.seed_mentor(mentor_name, [skill, "python"])

    stack.allow_sign_ups()
    context = browsers.context(DESKTOP)
    page = browsers.page(context)
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws))
    page.goto(stack.url + "/")
    expect(page.get_by_role("link", name="Sign up")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    stack.shot(page, "find-signed-out-desktop")

    page.get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/signup$"))
    page.get_by_label("Name").fill("Mina Mentee")
    page.get_by_label("Email").fill(f"mentee-{random_word(10)}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("radio", name="Mentee").check()
    stack.shot(page, "sign-up-desktop")
    page.get_by_role("button", name="Create account").click()

    nav = page.get_by_role("navigation", name="Main")
    for name in ("Find a mentor", "My sessions", "Wallet"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("link", name="Sign up")).to_have_count(0)

    page.get_by_role("searchbox", name="Search mentors").fill(misspelled)
    result = page.get_by_role("article", name=mentor_name)
    expect(result).to_be_visible()
    expect(result.get_by_role("heading", name=mentor_name).get_by_role("link", name=mentor_name)).to_have_attribute(
        "href", f"/mentors/{mentor_id}")
    expect(page.get_by_role("group", name="Skills").get_by_role("checkbox", name=re.compile(skill))).to_be_visible()
    stack.shot(page, "find-results-desktop")

    # Before: one socket anonymous, one more after signing in (its credentials are its handshake's cookies).
    assert [ws.url for ws in sockets] == [stack.url.replace("http", "ws") + "/rpc/ws"] * 2, sockets
    assert sockets[0].is_closed(), "the anonymous socket stayed open after signing in"
    sockets.clear()
    sent_frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent_frames.append(str(payload))))
    # The session survives a reload (cookies; identity.me over the socket).
    page.reload()
    expect(nav.get_by_role("link", name="Wallet")).to_be_visible()
    expect(page.get_by_role("article", name=mentor_name)).to_be_visible()

    page.get_by_role("link", name=mentor_name).click()
    expect(page.get_by_role("heading", level=1, name=mentor_name)).to_be_visible()
    stack.shot(page, "profile-desktop")

    nav.get_by_role("link", name="Wallet").click()
    expect(page.get_by_label("Available credits")).to_have_text("0")
    stack.shot(page, "wallet-desktop")
    nav.get_by_role("link", name="My sessions").click()
    expect(page.get_by_role("heading", level=1, name="My sessions")).to_be_visible()
    stack.shot(page, "sessions-desktop")

    # Calls and subscriptions share one WebSocket per tab: the reloaded page opened one and searched on it.
    assert len(sockets) == 1 and not sockets[0].is_closed(), sockets
    assert any('"mentors.search"' in frame for frame in sent_frames), "mentors.search did not go over the WebSocket"

    phone = browsers.context(PHONE, storage_state=context.storage_state())
    small = browsers.page(phone)
    small.goto(stack.url + f"/mentors?q={misspelled}")
    expect(small.get_by_role("article", name=mentor_name)).to_be_visible()
    stack.shot(small, "find-results-phone")
    small.goto(stack.url + f"/mentors/{mentor_id}")
    expect(small.get_by_role("heading", level=1, name=mentor_name)).to_be_visible()
    stack.shot(small, "profile-phone")
    small.goto(stack.url + "/wallet")
    expect(small.get_by_label("Available credits")).to_be_visible()
    stack.shot(small, "wallet-phone")
    phone.close()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_role("link", name="Wallet")).to_have_count(0)
    stack.shot(page, "sign-in-desktop")
    # Signed out, an account page sends to sign in and back after it.
    page.goto(stack.url + "/wallet")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fwallet$"))
    context.close()

    anonymous = browsers.context(PHONE)
    small = browsers.page(anonymous)
    small.goto(stack.url + "/signup")
    expect(small.get_by_role("button", name="Create account")).to_be_visible()
    stack.shot(small, "sign-up-phone")
    small.goto(stack.url + "/signin")
    stack.shot(small, "sign-in-phone")
    anonymous.close()

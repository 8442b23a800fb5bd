"""My sessions: upcoming and past, "Join session" while the room is open (10 minutes before the start until 30 after
the end), cancelling with the policy shown before confirming (booking.cancelPreview), for mentee and mentor."""
from playwright.sync_api import expect

from harness import DESKTOP, PHONE, Browsers, Stack, seed_open_session, sign_in


def test_sessions_join_and_cancel(stack: Stack, browsers: Browsers) -> None:
    seeded = seed_open_session(stack, "Sofia Sessions", "Sam Sessions")
    stack.allow_sign_ups()
    context = browsers.context(DESKTOP)
    page = browsers.page(context)
    page.goto(stack.url + "/")
    sign_in(page, seeded.mentee_email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My sessions").click()
    upcoming = page.get_by_role("region", name="Upcoming")
    sessions = upcoming.get_by_role("article", name="1:1 session with Sofia Sessions")
    expect(sessions).to_have_count(2)
    now, later = sessions.nth(0), sessions.nth(1)
    expect(now.get_by_role("button", name="Join session")).to_be_visible()
    expect(later.get_by_role("button", name="Join session")).to_have_count(0)
    expect(now.locator("time").first).to_have_attribute("datetime", seeded.start)

    # The policy is shown before anything is cancelled; "Keep session" keeps it.
    later.get_by_role("button", name="Cancel session").click()
    policy = later.get_by_role("group", name="Cancellation policy")
    expect(policy).to_contain_text("The session is free: nothing is charged.")
    expect(policy).to_contain_text("refunded in full")
    stack.shot(page, "sessions-cancel-policy-desktop")
    later.get_by_role("button", name="Keep session").click()
    expect(policy).to_have_count(0)
    assert stack.seed_rpc("booking.get", {"bookingId": seeded.later_id}, seeded.mentee_token)["booking"]["status"] == "confirmed"
    later.get_by_role("button", name="Cancel session").click()
    later.get_by_role("button", name="Confirm cancellation").click()
    expect(page.get_by_role("status").filter(has_text="is cancelled")).to_be_visible()
    past = page.get_by_role("region", name="Past")
    expect(past.get_by_role("article", name="1:1 session with Sofia Sessions")).to_contain_text("cancelled")
    expect(upcoming.get_by_role("article")).to_have_count(1)
    assert stack.seed_rpc("booking.get", {"bookingId": seeded.later_id}, seeded.mentee_token)["booking"]["status"] == "cancelled"
    stack.shot(page, "sessions-desktop")

    # The mentor sees the session too, joinable.
    phone = browsers.context(PHONE)
    mentor = browsers.page(phone)
    mentor.goto(stack.url + "/")
    sign_in(mentor, seeded.mentor_email)
    mentor.goto(stack.url + "/sessions")
    mine = mentor.get_by_role("region", name="Upcoming").get_by_role("article", name="1:1 session with a mentee")
    expect(mine.get_by_role("button", name="Join session")).to_be_visible()
    stack.shot(mentor, "sessions-phone")
    phone.close()
    context.close()

"""The header's bell and the notifications page: the unread count is live (a booking made by another client, and a
cancellation by the mentor, raise it without a reload), the page lists the newest first and takes pushed ones at the
top, and "Mark all read" drops the badge."""
import time

from playwright.sync_api import expect

from harness import DESKTOP, PHONE, Browsers, Stack, random_word, sign_in


def test_notifications_bell_and_page(stack: Stack, browsers: Browsers) -> None:
    mentor_name = f"Nora {random_word(6).capitalize()}"
    mentor_id, mentor_token = stack.seed_mentor_account(mentor_name, ["alerts" + random_word(4)])
    mentee_email, mentee_token = stack.account("mentee", "Nick Notified")
    stack.allow_sign_ups()
    context = browsers.context(DESKTOP)
    page = browsers.page(context)
    page.goto(stack.url + "/")
    sign_in(page, mentee_email)
    bell = page.locator("a.bell")
    expect(bell).to_have_attribute("data-unread", "0")
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(bell.locator(".bell-badge")).to_have_count(0)
    page.evaluate("window.__notReloaded = true")

    # Another client books for this mentee: the notification consumer pushes it and the badge rises, no reload.
    now = time.time()
    window = {"from": time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(now)), "to": time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(now + 3 * 86400))}
    slots = stack.seed_rpc("availability.slots", {"mentorId": mentor_id, **window, "minutes": 30, "limit": 20}, mentee_token)["slots"]
    booking = stack.seed_rpc("booking.create", {"mentorId": mentor_id, "start": slots[10]["start"], "minutes": 30}, mentee_token)["booking"]
    booked = time.monotonic()
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    print(f"   badge rose {1000 * (time.monotonic() - booked):.0f} ms after the booking's answer")
    expect(bell.locator(".bell-badge")).to_have_text("1")
    assert page.evaluate("window.__notReloaded === true"), "the page reloaded"

    bell.click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    notes = page.get_by_role("list", name="Your notifications").get_by_role("listitem")
    expect(notes).to_have_count(1)
    expect(notes.first.get_by_role("heading")).to_have_text("Unread: Session booked")
    expect(notes.first.get_by_role("button", name="Mark read")).to_be_visible()
    page.evaluate("window.__notReloaded = true")

    # The mentor cancels: the new notification appears at the top, unread, and the badge says 2.
    stack.seed_rpc("booking.cancel", {"bookingId": booking["id"], "reason": "Something came up"}, mentor_token)
    expect(notes).to_have_count(2)
    expect(notes.first.get_by_role("heading")).to_have_text("Unread: Session cancelled")
    expect(page.get_by_role("link", name="Notifications, 2 unread")).to_be_visible()
    assert page.evaluate("window.__notReloaded === true"), "the page reloaded"
    stack.shot(page, "notifications-desktop")

    # One marked read by its button, then the rest by "Mark all read": the badge goes, nothing is unread.
    notes.nth(1).get_by_role("button", name="Mark read").click()
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    expect(notes.nth(1).get_by_role("heading")).to_have_text("Session booked")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(bell.locator(".bell-badge")).to_have_count(0)
    expect(page.get_by_text("Nothing unread.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark read")).to_have_count(0)
    answer = stack.seed_rpc("notifications.list", {"limit": 5}, mentee_token)
    assert answer["unreadCount"] == 0 and all(n["read"] for n in answer["items"]), answer

    # After a reload the page and the bell read the same from the server.
    page.reload()
    expect(notes).to_have_count(2)
    expect(bell).to_have_attribute("data-unread", "0")

    phone = browsers.context(PHONE, storage_state=context.storage_state())
    small = browsers.page(phone)
    small.goto(stack.url + "/notifications")
    expect(small.get_by_role("list", name="Your notifications").get_by_role("listitem")).to_have_count(2)
    stack.shot(small, "notifications-phone")
    phone.close()
    context.close()

"""Reschedule in My sessions (a new free slot picked, the policy shown before confirming; at once for the mentee far
enough ahead, else a proposal the mentor accepts) and a mentor's payouts in the wallet (earnings from a paid session
that took place, a refused over-large request, a requested payout in the table)."""
import time

from playwright.sync_api import Locator, Page, expect

from harness import DESKTOP, PHONE, Browsers, Stack, random_word, sign_in
from reschedule_payouts_support import free_slots, fund, move_into_past, release_escrows, wait_for


def session_card(page: Page, mentor_name: str, start: str) -> Locator:
    """The card in "Upcoming" of the session with `mentor_name` at `start` (its time element's datetime)."""
    upcoming = page.get_by_role("region", name="Upcoming")
    return upcoming.get_by_role("article", name=f"1:1 session with {mentor_name}").filter(has=page.locator(f'time[datetime="{start}"]'))


def pick(card: Locator, start: str) -> None:
    """In the card's open reschedule picker, the free slot starting at `start` (showing every day first)."""
    picker = card.get_by_role("group", name="Free times")
    expect(picker).to_be_visible()
    more = picker.get_by_role("button", name="more days")
    if more.count():
        more.click()
    picker.locator(f'button:has(time[datetime="{start}"])').click()


def test_reschedule(stack: Stack, browsers: Browsers) -> None:
    mentor_name = f"Rita {random_word(6).capitalize()}"
    mentor_id, mentor_token = stack.seed_mentor_account(mentor_name, ["moving" + random_word(4)])
    mentor_email = stack.seed_rpc("identity.me", {}, mentor_token)["user"]["email"]
    mentee_email, mentee_token = stack.account("mentee", "Ravi Rescheduler")
    far = free_slots(stack, mentor_id, mentee_token, 48)
    soon = free_slots(stack, mentor_id, mentee_token, 3, days=1)
    far_booking = stack.seed_rpc("booking.create", {"mentorId": mentor_id, "start": far[0], "minutes": 30}, mentee_token)["booking"]
    soon_booking = stack.seed_rpc("booking.create", {"mentorId": mentor_id, "start": soon[0], "minutes": 30}, mentee_token)["booking"]
    far_new = far[4]
    soon_new = free_slots(stack, mentor_id, mentee_token, 30, days=1)[0]

    stack.allow_sign_ups()
    context = browsers.context(DESKTOP)
    page = browsers.page(context)
    page.goto(stack.url + "/")
    sign_in(page, mentee_email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My sessions").click()

    # Two days ahead, to a time two days ahead: the mentee moves it alone, at once.
    card = session_card(page, mentor_name, far_booking["start"])
    card.get_by_role("button", name="Reschedule").click()
    pick(card, far_new)
    policy = card.get_by_role("group", name="Reschedule policy")
    expect(policy).to_contain_text("the session moves to")
    expect(policy).to_contain_text("at once")
    expect(policy).to_contain_text("at least 24 hours away")
    stack.shot(page, "reschedule-desktop")
    policy.get_by_role("button", name="Confirm reschedule").click()
    expect(page.get_by_role("status").filter(has_text="moved to")).to_be_visible()
    expect(session_card(page, mentor_name, far_new)).to_have_count(1)
    expect(session_card(page, mentor_name, far_booking["start"])).to_have_count(0)
    assert stack.seed_rpc("booking.get", {"bookingId": far_booking["id"]}, mentee_token)["booking"]["start"] == far_new

    # A few hours ahead (inside the late window): a proposal the mentor has to accept.
    card = session_card(page, mentor_name, soon_booking["start"])
    card.get_by_role("button", name="Reschedule").click()
    pick(card, soon_new)
    policy = card.get_by_role("group", name="Reschedule policy")
    expect(policy).to_contain_text(f"{mentor_name} is asked to accept")
    policy.get_by_role("button", name="Confirm reschedule").click()
    proposal = card.get_by_role("group", name="Proposed new time")
    expect(proposal).to_contain_text(f"Waiting for {mentor_name} to accept")
    expect(proposal.locator(f'time[datetime="{soon_new}"]')).to_have_count(1)
    expect(card.get_by_role("button", name="Reschedule")).to_have_count(0)
    booking = stack.seed_rpc("booking.get", {"bookingId": soon_booking["id"]}, mentee_token)["booking"]
    assert booking["start"] == soon_booking["start"] and booking["proposedStart"] == soon_new, booking
    page.evaluate("window.__notReloaded = true")

    # The mentor accepts on their phone; the mentee's page hears the move (a notification) and shows the new time.
    phone = browsers.context(PHONE)
    mentor = browsers.page(phone)
    mentor.goto(stack.url + "/")
    sign_in(mentor, mentor_email)
    mentor.goto(stack.url + "/sessions")
    theirs = mentor.get_by_role("region", name="Upcoming").get_by_role("article", name="1:1 session with a mentee").filter(
        has=mentor.locator(f'time[datetime="{soon_booking["start"]}"]'))
    offered = theirs.get_by_role("group", name="Proposed new time")
    expect(offered).to_contain_text("The mentee proposes moving this session to")
    offered.get_by_role("button", name="Accept new time").click()
    expect(mentor.get_by_role("status").filter(has_text="The session moved to")).to_be_visible()
    stack.shot(mentor, "reschedule-accepted-phone")
    assert stack.seed_rpc("booking.get", {"bookingId": soon_booking["id"]}, mentee_token)["booking"]["start"] == soon_new
    moved = session_card(page, mentor_name, soon_new)
    expect(moved).to_have_count(1)
    expect(moved.get_by_role("group", name="Proposed new time")).to_have_count(0)
    assert page.evaluate("window.__notReloaded === true"), "the mentee's page reloaded"
    phone.close()
    context.close()


def test_mentor_payout(stack: Stack, browsers: Browsers) -> None:
    price = 30
    mentor_id, mentor_token = stack.seed_mentor_account(f"Paula {random_word(6).capitalize()}", ["payouts" + random_word(4)], price=price)
    mentor_email = stack.seed_rpc("identity.me", {}, mentor_token)["user"]["email"]
    mentee_email, mentee_token = stack.account("mentee", "Pete Payer")
    fund(stack, mentee_token, price)
    start = free_slots(stack, mentor_id, mentee_token, 3)[0]
    booking = stack.seed_rpc("booking.create", {"mentorId": mentor_id, "start": start, "minutes": 30}, mentee_token)["booking"]
    move_into_past(stack, booking["id"])
    release_escrows(stack)
    wait_for(lambda: stack.seed_rpc("wallet.get", {}, mentor_token)["earnings"] > 0, "the released escrow")
    earnings = stack.seed_rpc("wallet.get", {}, mentor_token)["earnings"]
    assert 15 <= earnings <= price, earnings

    stack.allow_sign_ups()
    context = browsers.context(DESKTOP)
    page = browsers.page(context)
    page.goto(stack.url + "/")
    sign_in(page, mentor_email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Wallet").click()
    payouts = page.get_by_role("region", name="Payouts")
    expect(payouts.get_by_label("Earnings available")).to_have_text(str(earnings))
    expect(payouts).to_contain_text("No payouts yet.")

    # More than the earnings is refused, and nothing is requested.
    payouts.get_by_label("Payout credits").fill(str(earnings + 100))
    payouts.get_by_role("button", name="Request payout").click()
    expect(payouts.get_by_text(f"At most your available earnings, {earnings} credits.")).to_be_visible()
    expect(payouts.get_by_label("Payout credits")).to_have_attribute("aria-invalid", "true")
    assert stack.seed_rpc("payouts.list", {}, mentor_token)["items"] == []

    payouts.get_by_label("Payout credits").fill("10")
    payouts.get_by_role("button", name="Request payout").click()
    expect(payouts.get_by_role("status").filter(has_text="10 credits requested")).to_be_visible()
    row = payouts.get_by_role("table").get_by_role("row").filter(has_text="Requested: waiting for approval")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("10")
    expect(payouts.get_by_label("Earnings available")).to_have_text(str(earnings - 10))
    expect(page.get_by_label("Earnings", exact=True)).to_have_text(str(earnings - 10))
    items = stack.seed_rpc("payouts.list", {}, mentor_token)["items"]
    assert [(p["credits"], p["status"]) for p in items] == [(10, "requested")], items
    stack.shot(page, "wallet-payouts-desktop")

    # The server refuses more than is left (a request from another tab meanwhile, say): its refusal is spelled out.
    stack.seed_rpc("payouts.request", {"credits": earnings - 10}, mentor_token)
    payouts.get_by_label("Payout credits").fill("5")
    payouts.get_by_role("button", name="Request payout").click()
    expect(payouts.get_by_role("alert")).to_contain_text("more than your available earnings")
    expect(payouts.get_by_label("Earnings available")).to_have_text("0")
    assert len(stack.seed_rpc("payouts.list", {}, mentor_token)["items"]) == 2

    phone = browsers.context(PHONE, storage_state=context.storage_state())
    small = browsers.page(phone)
    small.goto(stack.url + "/wallet")
    expect(small.get_by_role("region", name="Payouts").get_by_role("table")).to_be_visible()
    stack.shot(small, "wallet-payouts-phone")
    phone.close()

    # A mentee's wallet has no payouts.
    mentee = browsers.context(DESKTOP)
    theirs = browsers.page(mentee)
    theirs.goto(stack.url + "/")
    sign_in(theirs, mentee_email)
    theirs.goto(stack.url + "/wallet")
    expect(theirs.get_by_label("Available credits")).to_have_text("0")
    expect(theirs.get_by_role("region", name="Payouts")).to_have_count(0)
    expect(theirs.get_by_label("Payout credits")).to_have_count(0)
    mentee.close()
    context.close()

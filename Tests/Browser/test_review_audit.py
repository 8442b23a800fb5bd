"""After a session the mentee reviews it from My sessions and the review is on the mentor's profile; an admin sees the
users, changes a role and disables an account (checked through the API), finds the booking's audit entry and verifies
the audit chain."""
import re
import time

from playwright.sync_api import Page, expect

from admin_support import admin_account, create_admin, move_booking_back
from harness import DESKTOP, PASSWORD, PHONE, Browsers, RPCFailure, Stack, random_word, sign_in


def load_until(region, rows, wanted, button: str):
    """Presses `button` in `region` until `wanted` (a locator within `rows`) is there; returns it."""
    for _ in range(50):
        expect(rows.first).to_be_visible()
        if wanted.count():
            return wanted
        loaded = rows.count()
        region.get_by_role("button", name=button, exact=True).click()
        expect(rows).not_to_have_count(loaded)
    raise AssertionError(f"not found after 50 pages: {wanted}")


def user_row(page: Page, email: str):
    """The users table's row of `email` ("More users" until it is loaded: the table is in id order, so anywhere)."""
    users = page.get_by_role("region", name="Users")
    return load_until(users, users.locator("tbody tr"), users.get_by_role("row").filter(has_text=email), "More users")


def test_review_after_session_and_admin_verifies_audit(stack: Stack, browsers: Browsers) -> None:
    word = random_word(5)
    mentor_name, mentee_name = f"Rhea Review {word}", f"Milo Reviewer {word}"
    mentor_id, _ = stack.seed_mentor_account(mentor_name, ["reviewing" + random_word(4)])
    mentee_email, mentee_token = stack.account("mentee", mentee_name)
    start = time.strftime("%Y-%m-%dT10:00:00Z", time.gmtime(time.time() + 86400))
    booking = stack.seed_rpc("booking.create", {"mentorId": mentor_id, "start": start, "minutes": 30}, mentee_token)["booking"]
    assert booking["status"] == "confirmed", booking
    # The booking service's clock is real time, so a session can neither be booked in the past nor have ended yet;
    # the test makes time pass instead: the booked session moves 3 days back, to well before now.
    move_booking_back(stack, booking["id"], days=3)

    stack.allow_sign_ups()
    context = browsers.context(DESKTOP)
    page = browsers.page(context)
    page.goto(stack.url + "/")
    sign_in(page, mentee_email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My sessions").click()
    session = page.get_by_role("region", name="Past").get_by_role("article", name=f"1:1 session with {mentor_name}")
    expect(session).to_be_visible()
    expect(page.get_by_role("region", name="Upcoming").get_by_role("article")).to_have_count(0)
    session.get_by_role("button", name="Leave a review").click()
    form = session.get_by_role("form", name="Review")
    comment = f"Clear answers and a plan I can follow, {word}."
    expect(form.get_by_role("button", name="Submit review")).to_be_disabled()
    form.get_by_role("radio", name="4 stars").check()
    form.get_by_label("Comment").fill(comment)
    form.get_by_role("button", name="Submit review").click()
    expect(session.get_by_role("status")).to_have_text("Thank you: your review is on the mentor's profile.")
    stack.shot(page, "sessions-reviewed-desktop")

    page.goto(f"{stack.url}/mentors/{mentor_id}")
    review = page.get_by_role("article", name=f"Review by {mentee_name}")
    expect(review).to_contain_text(comment)
    expect(review.get_by_label("4 out of 5")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("4.0 from 1 review")
    stack.shot(page, "profile-review-desktop")
    context.close()

    # An admin, in a fresh context. A throwaway account to change.
    admin_email, _ = create_admin(stack, f"Ada Admin {word}")
    spare_name = f"Spare Account {word}"
    spare_email, _ = stack.account("mentee", spare_name)
    stack.allow_sign_ups()
    context = browsers.context(DESKTOP)
    page = browsers.page(context)
    page.goto(stack.url + "/")
    sign_in(page, admin_email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    expect(page.get_by_role("heading", name="Admin", level=1)).to_be_visible()
    users = page.get_by_role("region", name="Users")
    expect(users.get_by_role("columnheader")).to_have_text(["Name", "Email", "Roles", "Status", "Change"])

    # Set role: the spare account becomes a mentor (its next sign-in says so).
    row = user_row(page, spare_email)
    expect(row.get_by_role("cell").nth(1)).to_have_text("mentee")  # the name is the row header
    expect(row.get_by_role("button", name="Set role")).to_be_disabled()
    row.get_by_label(f"Role for {spare_name}").select_option("mentor")
    row.get_by_role("button", name="Set role").click()
    expect(users.get_by_role("status").filter(has_text=f"{spare_name} is now mentor")).to_be_visible()
    expect(row.get_by_role("cell").nth(1)).to_have_text("mentor")
    assert stack.seed_rpc("identity.login", {"email": spare_email, "password": PASSWORD})["user"]["roles"] == ["mentor"]

    # Disable, after the inline confirmation ("Keep account" keeps it); then the account cannot sign in.
    row.get_by_role("button", name=f"Disable {spare_name}").click()
    row.get_by_role("button", name="Keep account").click()
    expect(row.get_by_role("button", name="Confirm disable")).to_have_count(0)
    row.get_by_role("button", name=f"Disable {spare_name}").click()
    row.get_by_role("button", name="Confirm disable").click()
    expect(row.get_by_role("cell").nth(2)).to_have_text("Disabled")
    expect(row.get_by_role("button", name=f"Disable {spare_name}")).to_have_count(0)
    try:
        stack.seed_rpc("identity.login", {"email": spare_email, "password": PASSWORD})
        raise AssertionError("a disabled account signed in")
    except RPCFailure as refused:
        assert "account_disabled" in str(refused), refused

    # The audit log, newest first: the two changes just made (targets named, the actor is this admin), and the
    # booking's entry (reviews.create is not audited); then the chain verifies.
    log = page.get_by_role("region", name="Audit log")
    expect(log.get_by_role("columnheader")).to_have_text(["Time", "Actor", "Action", "Target"])
    entries = log.locator("tbody tr")
    disabled = entries.filter(has_text="admin.disable_user").filter(has_text=spare_name)
    expect(disabled.get_by_role("cell").nth(1)).to_have_text(f"Ada Admin {word}")
    expect(disabled.get_by_role("cell").nth(3)).to_have_text(spare_name)
    expect(entries.filter(has_text="admin.set_role").filter(has_text=spare_name)).to_contain_text("role: mentor")
    booked = entries.filter(has_text="booking.create").filter(has=page.locator(f'td[title="{booking["id"]}"]'))
    expect(load_until(log, entries, booked, "More")).to_have_count(1)
    log.get_by_role("button", name="Verify chain").click()
    verified = log.get_by_role("status").filter(has_text="Audit chain")
    expect(verified).to_have_text(re.compile(r"^Audit chain verified: \d+ entries intact\.$"))
    shown = int(re.search(r"\d+", verified.inner_text()).group())
    _, token = admin_account(stack)
    answer = stack.seed_rpc("audit.verify", {}, token)
    assert answer["ok"] is True and answer["checked"] >= shown > 0, (answer, shown)
    stack.shot(page, "admin-desktop")
    context.close()

    # At phone width: the same page, nothing wider than the screen.
    context = browsers.context(PHONE)
    page = browsers.page(context)
    page.goto(stack.url + "/")
    sign_in(page, admin_email)
    page.goto(stack.url + "/admin")
    expect(page.get_by_role("region", name="Audit log").locator("tbody tr").first).to_be_visible()
    # The rows are laid out as cards here; the table is still a table to assistive technology.
    expect(page.get_by_role("region", name="Users").get_by_role("columnheader")).to_have_count(5)
    expect(user_row(page, spare_email).get_by_role("cell").nth(2)).to_have_text("Disabled")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page itself does not scroll sideways"
    stack.shot(page, "admin-phone")
    context.close()

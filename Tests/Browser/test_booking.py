"""A mentee signs up, finds a mentor by a misspelled skill, opens the profile and books a slot (hold with countdown,
agenda, price, "Confirm booking"); a second browser showing the same profile sees that slot disappear without
reloading. Prints how long after the booking's answer the second page's slot disappeared (issue 14's budget: 300 ms).
"""
import re
import time

from playwright.sync_api import expect

from harness import ANSWER_PROBE, DESKTOP, GONE_PROBE, PHONE, Browsers, Stack, now_ms, random_word, sign_up, slot_change_samples

BUDGET_MS = 300


def test_book_slot_live_on_second_page(stack: Stack, browsers: Browsers) -> None:
    skill = "astro" + random_word(4) + "nomy"
    misspelled = skill.replace("nomy", "nmy")
    mentor_name = f"Grace {random_word(6).capitalize()}"
    mentor_id, mentor_token = stack.seed_mentor_account(mentor_name, [skill, "rust"], questions=[
        {"id": "goal", "label": "What do you want to work on?", "kind": "text", "required": True},
        {"id": "level", "label": "Your level", "kind": "choice", "required": False, "choices": ["new", "some", "lots"]}])
    profile_url = f"{stack.url}/mentors/{mentor_id}"
    group_start = time.strftime("%Y-%m-%dT%H:00:00Z", time.gmtime(time.time() + 3 * 86400))
    stack.seed_rpc("sessions.createGroup", {"start": group_start, "minutes": 60, "capacity": 3, "title": "Crate clinic",
                                            "topic": "publishing"}, mentor_token)

    stack.allow_sign_ups()
    # The mentee in Kolkata (+05:30), the other viewer in New York: each sees the slots in their own zone.
    mentee_context = browsers.context(DESKTOP, timezone_id="Asia/Kolkata")
    mentee_context.add_init_script(ANSWER_PROBE)
    page = browsers.page(mentee_context)
    page.goto(stack.url + "/")
    sign_up(stack, page, "Bo Booker")
    page.get_by_role("searchbox", name="Search mentors").fill(misspelled)
    page.get_by_role("article", name=mentor_name).get_by_role("link", name=mentor_name).click()
    expect(page.get_by_role("heading", level=1, name=mentor_name)).to_be_visible()
    times = page.get_by_role("region", name="Available times")
    expect(times).to_contain_text(re.compile(r"Asia/(Kolkata|Calcutta)"))  # ICU may give the old name
    expect(times).to_have_attribute("data-live", "true")

    other_context = browsers.context(PHONE, timezone_id="America/New_York")
    other = browsers.page(other_context)
    other.goto(profile_url)
    other_times = other.get_by_role("region", name="Available times")
    expect(other_times).to_contain_text("America/New_York")
    expect(other_times).to_have_attribute("data-live", "true")

    # A slot a few steps in (the first ones may fall inside the mentor's notice as the clock moves).
    slot = times.get_by_role("button").nth(4)
    start = slot.locator("time").get_attribute("datetime")
    name = slot.get_attribute("aria-label")
    assert name and re.search(r"\d{1,2}:\d{2}", name), name
    expect(times.get_by_role("button", name=name, exact=True)).to_have_count(1)
    other_slot = f'button:has(time[datetime="{start}"])'
    expect(other.locator(other_slot)).to_have_count(1)
    other_name = other.locator(other_slot).get_attribute("aria-label")
    assert other_name != name, "the two zones should name the same instant differently"
    other.evaluate("window.__notReloaded = true")
    stack.shot(page, "profile-slots-desktop")
    stack.shot(other, "profile-slots-phone")

    # Choosing the slot holds it: the other page's grid drops it, pushed (measured from the hold's answer).
    page.evaluate("(marks) => window.__armAnswer(marks)", ['"holdId"', f'"start":"{start}"'])
    other.evaluate(GONE_PROBE, other_slot)
    slot.click()
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^(9|10):\d\d$"))
    expect(other.locator(other_slot)).to_have_count(0)
    held_at, gone_at = page.evaluate("window.__answerAt"), other.evaluate("window.__goneAt")
    assert held_at and gone_at, (held_at, gone_at)
    print(f"   other page dropped the held slot {gone_at - held_at:.0f} ms after booking.hold answered")
    expect(page.get_by_role("button", name="Book")).to_be_disabled()  # a required question is unanswered
    page.get_by_label("What do you want to work on?").fill("Get my first crate published")
    page.get_by_label("Your level").select_option("some")
    stack.shot(page, "booking-agenda-desktop")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_label("Price")).to_have_text("Free")
    stack.shot(other, "profile-slot-held-phone")

    # Releasing the hold gives the slot back on the other page; choosing it again holds it again.
    page.get_by_role("button", name="Release this time").click()
    expect(other.locator(other_slot)).to_have_count(1)
    times.get_by_role("button", name=name, exact=True).click()
    page.get_by_label("What do you want to work on?").fill("Get my first crate published")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(other.locator(other_slot)).to_have_count(0)
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("What do you want to work on?")).to_have_value("Get my first crate published")
    page.get_by_role("button", name="Book", exact=True).click()
    stack.shot(page, "booking-confirm-desktop")
    page.evaluate("(marks) => window.__armAnswer(marks)", ['"result"', '"status":"confirmed"', f'"start":"{start}"'])
    clicked = now_ms(page)
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", name="Booked")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="is booked")).to_be_visible()
    answered = page.evaluate("window.__answerAt")
    # Group sessions with seats left: join one.
    group = page.get_by_role("article", name="Crate clinic")
    expect(group).to_contain_text("3 of 3 seats left")
    group.get_by_role("button", name="Join Crate clinic").click()
    expect(group.get_by_role("status")).to_contain_text("You have a seat")
    expect(group).to_contain_text("2 of 3 seats left")
    assert answered, "the booking's answer was not seen on the socket"
    stack.shot(page, "booking-booked-desktop")
    expect(other.locator(other_slot)).to_have_count(0)
    assert other.evaluate("window.__notReloaded === true"), "the second page reloaded"
    print(f"   booking.create answered {answered - clicked:.0f} ms after the click")
    other_context.close()
    mentee_context.close()


def test_slot_disappears_within_budget(stack: Stack, browsers: Browsers) -> None:
    """Someone else books through the API; the page shows the change: time from the booking's answer to the DOM."""
    mentor_name = f"Linus {random_word(6).capitalize()}"
    mentor_id = stack.seed_mentor(mentor_name, ["kernel" + random_word(4)])
    _, mentee = stack.account("mentee", "Quick Booker")
    context = browsers.context(DESKTOP)
    page = browsers.page(context)
    page.goto(f"{stack.url}/mentors/{mentor_id}")
    samples = slot_change_samples(stack, page, mentor_id, mentee)
    median = samples[len(samples) // 2]
    verdict = "within" if samples[-1] <= BUDGET_MS else "OVER"
    print(f"   slot gone after the booking's answer: median {median:.0f} ms, max {samples[-1]:.0f} ms "
          f"({verdict} the {BUDGET_MS} ms budget; samples {', '.join(f'{s:.0f}' for s in samples)})")
    assert samples[-1] < 5 * BUDGET_MS, f"a live slot change took {samples[-1]:.0f} ms"
    context.close()

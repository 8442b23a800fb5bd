"""The mentor dashboard: a new mentor fills the profile (a field the server refuses shows its problem next to it),
sets weekly hours and sees the week preview fill (in the viewer's zone), creates a group session (typed in the
viewer's zone, stored in UTC) and sees it listed, and saves an agenda template; search, listGroups and forms.get then
answer what was saved."""
import datetime
import re
import time
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from harness import DESKTOP, PHONE, Browsers, Stack, random_word, sign_in, sign_up

ZONE = "Europe/Berlin"
PRICE = 35


def utc_iso(local: datetime.datetime) -> str:
    return local.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_mentor_dashboard(stack: Stack, browsers: Browsers) -> None:
    stack.allow_sign_ups()
    context = browsers.context(DESKTOP, timezone_id=ZONE)
    page = browsers.page(context)
    page.goto(stack.url + "/")
    email = sign_up(stack, page, f"Dora {random_word(6).capitalize()}", role="Mentor")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Mentor dashboard", level=1)).to_be_visible()

    # Profile: a new mentor starts from a blank form in the browser's zone; a refused field is named next to itself.
    skill = "dash" + random_word(8)
    profile = page.get_by_role("region", name="Profile")
    expect(profile.get_by_label("Time zone")).to_have_value(ZONE)
    profile.get_by_label("Headline").fill("Untangles async Rust")
    profile.get_by_label("Bio").fill("Ten years of services in Rust and Go.")
    profile.get_by_label("Skills").fill(f"rust, {skill}")
    profile.get_by_label("Topics").fill("career, code review")
    profile.get_by_label("Languages").fill("en, de")
    profile.get_by_label("Years of experience").fill("10")
    first = profile.get_by_role("group", name="Session type 1")
    first.get_by_label("Minutes").fill("45")
    first.get_by_label("Price (credits)").fill(str(PRICE))
    profile.get_by_role("button", name="Add session type").click()
    second = profile.get_by_role("group", name="Session type 2")
    second.get_by_label("Kind").select_option(label="Group session")
    second.get_by_label("Minutes").fill("7")
    profile.get_by_role("button", name="Save profile").click()
    expect(profile.get_by_role("alert")).to_have_text("Some fields need attention.")
    expect(second).to_contain_text("a multiple of 5 from 5 to 480")
    expect(second.get_by_label("Minutes")).to_have_attribute("aria-invalid", "true")
    second.get_by_label("Minutes").fill("90")
    profile.get_by_role("button", name="Save profile").click()
    expect(profile.get_by_role("status")).to_have_text("Profile saved.")
    expect(profile.get_by_role("alert")).to_have_count(0)
    href = profile.get_by_role("link", name="your public profile").get_attribute("href")
    mentor_id = re.fullmatch(r"/mentors/([0-9A-Fa-f-]{36})", href).group(1)

    # Availability: nothing bookable yet; every day 08:00-20:00 (the added windows copy the hours to the next day).
    availability = page.get_by_role("region", name="Availability")
    preview = availability.get_by_role("region", name="Week preview")
    expect(preview.get_by_role("status")).to_have_text("0 bookable times.")
    expect(availability.get_by_label("Time zone")).to_have_value(ZONE)
    availability.get_by_role("button", name="Add window").click()
    window = availability.get_by_role("group", name="Window 1")
    expect(window.get_by_label("Day")).to_have_value("mon")
    window.get_by_label("Start").fill("08:00")
    window.get_by_label("End").fill("20:00")
    for _ in range(6):
        availability.get_by_role("button", name="Add window").click()
    expect(availability.get_by_role("group", name="Window 7").get_by_label("Day")).to_have_value("sun")
    expect(availability.get_by_role("group", name="Window 7").get_by_label("Start")).to_have_value("08:00")
    availability.get_by_label("Buffer after (minutes)").fill("0")
    availability.get_by_role("button", name="Save availability").click()
    expect(availability.get_by_role("status").filter(has_text="Availability saved.")).to_be_visible()
    zone = ZoneInfo(ZONE)
    tomorrow = datetime.datetime.now(zone).date() + datetime.timedelta(days=1)
    opens = datetime.datetime.combine(tomorrow, datetime.time(8, 0), zone)
    closes = datetime.datetime.combine(tomorrow, datetime.time(20, 0), zone)
    expect(preview.locator(f'time[datetime="{utc_iso(opens)}"]')).to_be_visible()
    expect(preview.locator(f'time[datetime="{utc_iso(closes)}"]')).to_be_visible()
    expect(preview.get_by_role("status")).to_have_text(re.compile(r"^(1[4-9]\d|[2-9]\d\d)\+? bookable times\.$"))  # 6-7 days of 24

    # A group session three days ahead at 18:30 the viewer's time: listed, stored in UTC, its hour gone from the preview.
    groups = page.get_by_role("region", name="Group sessions")
    expect(groups).to_contain_text("None yet.")
    title = f"Async clinic {random_word(5)}"
    day = datetime.datetime.now(zone).date() + datetime.timedelta(days=3)
    start = datetime.datetime.combine(day, datetime.time(18, 30), zone)
    groups.get_by_label("Title").fill(title)
    groups.get_by_label("Topic").fill("tokio")
    groups.get_by_label("Start").fill(start.strftime("%Y-%m-%dT%H:%M"))
    groups.get_by_label("Minutes").fill("60")
    groups.get_by_label("Capacity").fill("6")
    groups.get_by_label("Price (credits)").fill("5")
    groups.get_by_role("button", name="Create group session").click()
    expect(groups.get_by_role("status")).to_contain_text(f"“{title}” created")
    listed = groups.get_by_role("article", name=title)
    expect(listed.locator("time")).to_have_attribute("datetime", utc_iso(start))
    expect(listed).to_contain_text("0 of 6 seats taken, 6 left")
    expect(listed).to_contain_text("60 minutes · tokio · 5 credits")
    expect(preview.locator(f'time[datetime="{utc_iso(start)}"]')).to_be_visible()  # a run now ends where it starts

    # Agenda template: two questions, the second moved up.
    agenda = page.get_by_role("region", name="Agenda template")
    agenda.get_by_role("button", name="Add question").click()
    q1 = agenda.get_by_role("group", name="Question 1")
    q1.get_by_label("Question", exact=True).fill("What do you want to work on?")
    q1.get_by_label("Required").check()
    agenda.get_by_role("button", name="Add question").click()
    q2 = agenda.get_by_role("group", name="Question 2")
    q2.get_by_label("Question", exact=True).fill("Your level")
    q2.get_by_label("Answer kind").select_option(label="Choice")
    q2.get_by_label("Choices").fill("Beginner\nExperienced")
    agenda.get_by_role("button", name="Move question 2 up").click()
    expect(agenda.get_by_role("group", name="Question 1").get_by_label("Question", exact=True)).to_have_value("Your level")
    agenda.get_by_role("button", name="Save agenda template").click()
    expect(agenda.get_by_role("status")).to_have_text("Agenda template saved: 2 questions.")
    stack.shot(page, "dashboard-desktop")

    # What was saved, as others see it.
    deadline = time.monotonic() + 5
    while True:
        found = [m for m in stack.rpc("mentors.search", {"query": skill})["items"] if m["id"].lower() == mentor_id.lower()]
        if found or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert found, f"search for {skill} did not find the mentor"
    assert found[0]["priceCredits"] == PRICE and skill in found[0]["skills"], found[0]
    mentor = stack.rpc("mentors.get", {"mentorId": mentor_id})["mentor"]
    assert mentor["timeZone"] == ZONE and mentor["yearsExperience"] == 10 and mentor["languages"] == ["en", "de"], mentor
    assert sorted((t["kind"], t["minutes"], t["priceCredits"]) for t in mentor["sessionTypes"]) == [("group", 90, 0), ("one_on_one", 45, PRICE)]
    rules = stack.rpc("availability.get", {"mentorId": mentor_id})["availability"]
    assert rules["timeZone"] == ZONE and len(rules["weekly"]) == 7 and {w["start"] + "-" + w["end"] for w in rules["weekly"]} == {"08:00-20:00"}
    listed_groups = stack.rpc("sessions.listGroups", {"mentorId": mentor_id})["items"]
    assert [(g["title"], g["start"], g["capacity"], g["priceCredits"]) for g in listed_groups] == [(title, utc_iso(start), 6, 5)]
    questions = stack.rpc("forms.get", {"mentorId": mentor_id})["questions"]
    assert [(q["label"], q["kind"], q["required"], q.get("choices")) for q in questions] == [
        ("Your level", "choice", False, ["Beginner", "Experienced"]), ("What do you want to work on?", "text", True, None)], questions

    # At phone width, signed in elsewhere: everything loads back as saved.
    phone = browsers.context(PHONE, timezone_id=ZONE)
    small = browsers.page(phone)
    small.goto(stack.url + "/")
    sign_in(small, email)
    small.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(small.get_by_role("region", name="Profile").get_by_label("Skills")).to_have_value(f"rust, {skill}")
    expect(small.get_by_role("region", name="Availability").get_by_role("group", name="Window 7").get_by_label("End")).to_have_value("20:00")
    expect(small.get_by_role("region", name="Week preview").locator(f'time[datetime="{utc_iso(opens)}"]')).to_be_visible()
    expect(small.get_by_role("region", name="Group sessions").get_by_role("article", name=title)).to_be_visible()
    expect(small.get_by_role("region", name="Agenda template").get_by_role("group", name="Question 2").get_by_label("Question", exact=True)).to_have_value(
        "What do you want to work on?")
    stack.shot(small, "dashboard-phone")
    phone.close()
    context.close()

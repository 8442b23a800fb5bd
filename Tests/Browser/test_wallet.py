"""The mentee buys credits through the local provider's checkout page (Stripe, then UPI); the balance updates live,
also in another tab that only shows the wallet; a paid booking moves the price into escrow."""
import re
import time

from playwright.sync_api import expect

from harness import DESKTOP, PHONE, Browsers, Stack, random_word, sign_up

PRICE = 30


def test_buy_credits_and_pay_booking(stack: Stack, browsers: Browsers) -> None:
    mentor_name = f"Barbara {random_word(6).capitalize()}"
    mentor_id = stack.seed_mentor(mentor_name, ["compilers" + random_word(4)], price=PRICE)
    stack.allow_sign_ups()
    context = browsers.context(DESKTOP)
    page = browsers.page(context)
    page.goto(stack.url + "/")
    sign_up(stack, page, "Wanda Wallet")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Wallet").click()
    expect(page.get_by_label("Available credits")).to_have_text("0")

    # Another tab of the same account showing the wallet: it hears of the top-up by push, not by reloading.
    watcher = browsers.page(context)
    watcher.goto(stack.url + "/wallet")
    expect(watcher.get_by_label("Available credits")).to_have_text("0")
    watcher.evaluate("window.__notReloaded = true")

    page.get_by_role("button", name="Buy credits").click()
    page.get_by_label("Credits", exact=True).fill("100")
    stack.shot(page, "wallet-buy-desktop")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page).to_have_url(re.compile(r"/dev-payments/checkout/pi_\w+\?return="))
    expect(page.get_by_label("Amount")).to_have_text(re.compile(r"USD \d+\.\d\d"))
    stack.shot(page, "checkout-stripe-desktop")
    paid = time.monotonic()
    page.get_by_role("button", name="Pay").click()
    expect(page).to_have_url(re.compile(r"/wallet\?payment=[0-9a-fA-F-]{36}$"))
    expect(page.get_by_label("Available credits")).to_have_text("100")
    shown = time.monotonic()
    expect(page.get_by_role("status").filter(has_text="100 credits added")).to_be_visible()
    expect(watcher.get_by_label("Available credits")).to_have_text("100")
    pushed = time.monotonic()
    assert watcher.evaluate("window.__notReloaded === true"), "the watching tab reloaded"
    print(f"   balance shown {1000 * (shown - paid):.0f} ms after Pay; the other tab by push {1000 * (pushed - paid):.0f} ms")
    history = page.get_by_role("table")
    expect(history.get_by_role("row").filter(has_text="Bought credits")).to_contain_text("+100")
    stack.shot(page, "wallet-paid-desktop")

    # UPI: the gateway's page, in rupees.
    page.get_by_role("button", name="Buy credits").click()
    page.get_by_label("Credits", exact=True).fill("10")
    page.get_by_role("radio", name="UPI").check()
    page.get_by_role("button", name="Continue to payment").click()
    expect(page).to_have_url(re.compile(r"/dev-payments/checkout/order_\w+\?return="))
    expect(page.get_by_label("Amount")).to_have_text(re.compile(r"INR \d+\.\d\d"))
    stack.shot(page, "checkout-upi-desktop")
    page.get_by_role("button", name="Pay").click()
    expect(page.get_by_label("Available credits")).to_have_text("110")
    expect(watcher.get_by_label("Available credits")).to_have_text("110")

    # A paid booking: the price moves from available into escrow.
    page.goto(f"{stack.url}/mentors/{mentor_id}")
    times = page.get_by_role("region", name="Available times")
    expect(times).to_have_attribute("data-live", "true")
    times.get_by_role("button").nth(4).click()
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_label("Price")).to_have_text(f"{PRICE} credits")
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", name="Booked")).to_be_visible()
    expect(watcher.get_by_label("Available credits")).to_have_text(str(110 - PRICE))
    expect(watcher.get_by_label("In escrow")).to_have_text(str(PRICE))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Wallet").click()
    expect(page.get_by_label("Available credits")).to_have_text(str(110 - PRICE))
    expect(page.get_by_label("In escrow")).to_have_text(str(PRICE))
    expect(page.get_by_role("table").get_by_role("row").filter(has_text="Held for a booking").first).to_be_visible()
    stack.shot(page, "wallet-escrow-desktop")

    phone = browsers.context(PHONE, storage_state=context.storage_state())
    small = browsers.page(phone)
    small.goto(stack.url + "/wallet")
    expect(small.get_by_label("Available credits")).to_have_text(str(110 - PRICE))
    stack.shot(small, "wallet-escrow-phone")
    phone.close()
    context.close()

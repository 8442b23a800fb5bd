"""A dropped WebSocket: the page says it is reconnecting, reconnects with backoff, and goes on working."""
from playwright.sync_api import expect

from harness import DESKTOP, Browsers, Stack, random_word


def test_dropped_socket_reconnects(stack: Stack, browsers: Browsers) -> None:
    skill = "retry" + random_word(5) + "ology"
    name = f"Rhea {random_word(6).capitalize()}"
    stack.seed_mentor(name, [skill])
    context = browsers.context(DESKTOP)
    page = browsers.page(context)
    routes = []

    def through(ws):
        # The test sits between page and server so that it can cut the socket as a network failure would.
        ws.connect_to_server()
        routes.append(ws)

    page.route_web_socket("**/rpc/ws", through)
    page.goto(stack.url + f"/mentors?q={skill}")
    expect(page.get_by_role("article", name=name)).to_be_visible()
    assert len(routes) == 1, routes
    routes[0].close(code=4001, reason="dropped by the test")
    expect(page.get_by_role("status").filter(has_text="Reconnecting")).to_be_visible()
    stack.shot(page, "reconnecting-desktop")
    expect(page.get_by_text("Reconnecting")).to_have_count(0, timeout=5_000)
    assert len(routes) == 2, "the page did not open a new socket"
    page.get_by_role("searchbox", name="Search mentors").fill(skill.replace("ology", "olgy"))
    expect(page.get_by_role("article", name=name)).to_be_visible()
    context.close()

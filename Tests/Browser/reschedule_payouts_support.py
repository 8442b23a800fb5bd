"""Seeding for test_reschedule_payouts: free slots of a mentor, credits for a mentee through the local provider, and a
paid session moved into the past (PostgreSQL) whose escrow is then released to the mentor's earnings."""
import os
import subprocess
import time
import urllib.request
import uuid

from harness import Stack


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(epoch))


def free_slots(stack: Stack, mentor_id: str, token: str, hours_ahead: float, days: int = 3) -> list[str]:
    """The starts of the mentor's free 30-minute slots from `hours_ahead` hours from now, for `days` days."""
    start = time.time() + hours_ahead * 3600
    answer = stack.seed_rpc("availability.slots", {"mentorId": mentor_id, "from": iso(start), "to": iso(start + days * 86400),
                                                   "minutes": 30, "limit": 500}, token)
    return [slot["start"] for slot in answer["slots"]]


def fund(stack: Stack, token: str, credits: int) -> None:
    """Buys `credits` for the account of `token` as the browser would (a top-up completed at the local provider, whose
    signed webhook grants them), and waits until they are available."""
    before = stack.seed_rpc("wallet.get", {}, token)["available"]
    payment = stack.seed_rpc("payments.createTopUp", {"credits": credits, "provider": "stripe", "idempotencyKey": str(uuid.uuid4())}, token)
    with open(os.path.join(stack.run_dir, "dev-payments.port")) as f:
        port = int(f.read().strip())
    request = urllib.request.Request(f"http://127.0.0.1:{port}/dev/complete/{payment['providerRef']}", data=b"", method="POST")
    urllib.request.urlopen(request, timeout=15).read()
    wait_for(lambda: stack.seed_rpc("wallet.get", {}, token)["available"] >= before + credits, "the top-up's credits")


def psql(stack: Stack, sql: str) -> str:
    """Runs `sql` on the stack's PostgreSQL (its Unix socket in <run dir>/pg)."""
    return subprocess.run(["psql", "-h", os.path.join(stack.run_dir, "pg"), "-U", "mentorlink", "-d", "mentorlink", "-v", "ON_ERROR_STOP=1",
                           "-At", "-c", sql], check=True, capture_output=True, text=True).stdout


def move_into_past(stack: Stack, booking_id: str, days: int = 3) -> None:
    """Moves a booking `days` days back (its start, end and blocked range together, so every constraint still holds):
    a session that took place, whose completion grace is over."""
    shift = f"interval '{days} days'"
    updated = psql(stack, f"UPDATE bookings SET starts_at = starts_at - {shift}, ends_at = ends_at - {shift}, "
                          f"blocked_from = blocked_from - {shift}, blocked_until = blocked_until - {shift} "
                          f"WHERE id = '{uuid.UUID(booking_id)}' RETURNING id")
    assert updated.strip(), f"booking {booking_id} not found"


def release_escrows(stack: Stack) -> None:
    """Releases due escrows now with `mentorlink ledger settle` (what every worker's EscrowReleaseService does every
    30 s), run by the stack's own binary (its supervisor's executable) on its run directory."""
    with open(os.path.join(stack.run_dir, "serve.pid")) as f:
        binary = os.readlink(f"/proc/{int(f.read().strip())}/exe")
    subprocess.run([binary, "ledger", "settle"], check=True, capture_output=True, timeout=30,
                   env={**os.environ, "MENTORLINK_RUN_DIR": stack.run_dir})


def wait_for(condition, what: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)

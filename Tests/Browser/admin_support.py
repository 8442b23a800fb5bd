"""What the admin tests need beyond the harness: an admin account (only `mentorlink user create` makes one; no RPC
does), and SQL on the stack's PostgreSQL (to make time pass for a booking, since the booking service's clock is real).

Both find the stack through its run directory: the binary is the one serving it (`<run dir>/serve.pid`), unless
MENTORLINK_BINARY names another; PostgreSQL's socket is `<run dir>/pg`.
"""
import os
import shutil
import subprocess

from harness import PASSWORD, Stack, random_word

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PSQL = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"


def mentorlink_binary(stack: Stack) -> str:
    """The `mentorlink` executable of the stack: MENTORLINK_BINARY, else the running supervisor's, else a local build."""
    named = os.environ.get("MENTORLINK_BINARY")
    if named:
        return named
    try:
        with open(os.path.join(stack.run_dir, "serve.pid")) as pid_file:
            return os.readlink(f"/proc/{pid_file.read().strip()}/exe")
    except OSError:
        pass
    for config in ("release", "debug"):
        built = os.path.join(ROOT, ".build", config, "mentorlink")
        if os.path.exists(built):
            return built
    raise FileNotFoundError("no mentorlink binary: set MENTORLINK_BINARY")


def create_admin(stack: Stack, name: str | None = None) -> tuple[str, str]:
    """Creates an admin with the CLI (the harness's PASSWORD); returns (email, user id)."""
    email = f"admin-{random_word(10)}@example.com"
    env = dict(os.environ, MENTORLINK_RUN_DIR=stack.run_dir, MENTORLINK_SCHEMA_DIR=os.path.join(ROOT, "schema"))
    made = subprocess.run(
        [mentorlink_binary(stack), "user", "create", "--role", "admin", "--email", email, "--name", name or f"Admin {random_word(6)}",
         "--password-stdin"],
        input=PASSWORD + "\n", env=env, check=True, capture_output=True, text=True, timeout=30)
    return email, made.stdout.strip().splitlines()[-1]


def admin_account(stack: Stack, name: str | None = None) -> tuple[str, str]:
    """A new admin signed in with a bearer token on a worker socket; returns (email, token)."""
    email, _ = create_admin(stack, name)
    token = stack.seed_rpc("identity.login", {"email": email, "password": PASSWORD})["accessToken"]
    return email, token


def sql(stack: Stack, statement: str, *values: str) -> list[list[str]]:
    """Runs one statement in the stack's database; `values` are bound to :'v1', :'v2'… (psql variables, quoted by
    psql, never pasted into the text). Returns the rows, each a list of columns as text."""
    args = [PSQL, "-h", os.path.join(stack.run_dir, "pg"), "-U", "mentorlink", "-d", "mentorlink", "-X", "-q", "-tA",
            "-F", "\t", "-v", "ON_ERROR_STOP=1"]
    for k, value in enumerate(values, 1):
        args += ["-v", f"v{k}={value}"]
    done = subprocess.run(args, input=statement, check=True, capture_output=True, text=True, timeout=30)
    return [line.split("\t") for line in done.stdout.splitlines() if line]


def move_booking_back(stack: Stack, booking_id: str, days: int) -> list[str]:
    """Moves a booking `days` into the past: its start, end and the buffered interval it blocks, in one UPDATE (the
    table's checks tie them together). Returns the new [start, end]."""
    rows = sql(stack, f"""
        UPDATE bookings
        SET starts_at = starts_at - interval '{int(days)} days', ends_at = ends_at - interval '{int(days)} days',
            blocked_from = blocked_from - interval '{int(days)} days', blocked_until = blocked_until - interval '{int(days)} days'
        WHERE id = :'v1'::uuid
        RETURNING starts_at, ends_at
        """, booking_id)
    assert len(rows) == 1, f"booking {booking_id} not found: {rows}"
    return rows[0]

-- Payments hardening (issue 11): payouts claimed before the provider is called, refunds as their own rows with a
-- state, provider-side refunds and disputes, escrow that can be disputed (no-show) or frozen, webhook dedup keys.

-- Payouts: `processing` is claimed (under the row lock) by the one approval that calls the provider; a provider
-- answer that is not final (409, timeout, 5xx) leaves it there until the provider's record settles it.
ALTER TABLE payouts DROP CONSTRAINT payouts_status_check;
ALTER TABLE payouts ADD CONSTRAINT payouts_status_check CHECK (status IN ('requested', 'processing', 'paid', 'failed'));
ALTER TABLE payouts
    ADD COLUMN claimed_at timestamptz,
    ADD COLUMN claimed_by uuid;

-- Refunds: each one its own row and ledger reference (ledger kind 'refund', reference = the refund id; a refusal
-- posts 'refund_reversal' with the same reference). `pending` until the provider's answer or webhook settles it;
-- `origin` says whether we asked for it or the provider reports one made on its side (dashboard, bank).
CREATE TABLE refunds (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    payment_id   uuid        NOT NULL REFERENCES payments (id),
    credits      int         NOT NULL CHECK (credits > 0),
    amount_minor bigint      NOT NULL CHECK (amount_minor > 0),
    status       text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    origin       text        NOT NULL DEFAULT 'platform' CHECK (origin IN ('platform', 'provider')),
    provider_ref text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    settled_at   timestamptz
);
CREATE INDEX refunds_payment ON refunds (payment_id);
CREATE UNIQUE INDEX refunds_provider_ref ON refunds (provider_ref) WHERE provider_ref IS NOT NULL;

-- Provider-side refunds and disputes debit the user's available credits; what was already spent becomes a debt
-- (a user account `debt`, at or below zero: what the user owes), paid off first by the user's next top-up.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('available', 'escrow', 'earnings', 'debt', 'revenue', 'provider_clearing:stripe', 'provider_clearing:upi', 'payouts',
                    'adjustments'));
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_owner_check
    CHECK ((owner_id IS NULL) = (kind NOT IN ('available', 'escrow', 'earnings', 'debt')));
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_debt_not_positive CHECK (kind <> 'debt' OR balance <= 0);

-- A payment under dispute (chargeback): its disputed credits are taken back while the dispute is open.
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
    CHECK (status IN ('created', 'succeeded', 'failed', 'refunded', 'partially_refunded', 'disputed'));
CREATE TABLE disputes (
    id           text PRIMARY KEY,
    payment_id   uuid        NOT NULL REFERENCES payments (id),
    credits      int         NOT NULL CHECK (credits >= 0),
    amount_minor bigint      NOT NULL CHECK (amount_minor >= 0),
    status       text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    closed_at    timestamptz
);

-- Escrow that must not reach the mentor. `disputed`: the mentee reported a no-show within the window after the
-- session; `frozen`: the mentor is disabled or no longer a mentor. The release job only releases `held`, so both wait
-- for an admin's audited decision (admin.resolveEscrow: refund or release).
ALTER TABLE bookings DROP CONSTRAINT bookings_escrow_state_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_escrow_state_check
    CHECK (escrow_state IN ('none', 'held', 'released', 'refunded', 'disputed', 'frozen'));
ALTER TABLE bookings
    ADD COLUMN noshow_reported_at timestamptz,
    ADD COLUMN noshow_reason      text CHECK (length(noshow_reason) <= 1000);

-- Whether a user may receive escrow: enabled and a mentor.
CREATE FUNCTION mentor_can_earn(p_user uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM users WHERE id = p_user AND disabled_at IS NULL AND 'mentor' = ANY (roles))
$$;

-- A mentor disabled or demoted: their held escrow is frozen; enabled (and a mentor) again: it is held again.
CREATE FUNCTION escrow_follow_mentor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF mentor_can_earn(NEW.id) THEN
        UPDATE bookings SET escrow_state = 'held' WHERE mentor_id = NEW.id AND escrow_state = 'frozen' AND status = 'confirmed';
    ELSE
        UPDATE bookings SET escrow_state = 'frozen' WHERE mentor_id = NEW.id AND escrow_state = 'held';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER users_escrow_follow_mentor AFTER UPDATE OF disabled_at, roles ON users
    FOR EACH ROW WHEN (OLD.disabled_at IS DISTINCT FROM NEW.disabled_at OR OLD.roles IS DISTINCT FROM NEW.roles)
    EXECUTE FUNCTION escrow_follow_mentor();

-- Escrow put on (or back on) a booking whose mentor cannot earn is frozen at once (a booking racing the disable).
CREATE FUNCTION escrow_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.escrow_state = 'held' AND OLD.escrow_state IS DISTINCT FROM 'held' AND NOT mentor_can_earn(NEW.mentor_id) THEN
        NEW.escrow_state := 'frozen';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER bookings_escrow_guard BEFORE UPDATE OF escrow_state ON bookings FOR EACH ROW EXECUTE FUNCTION escrow_guard();

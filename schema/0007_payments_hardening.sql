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

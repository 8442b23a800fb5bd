-- Payments and credits: a double-entry ledger (balances derived from immutable entries, cached in the same
-- transaction and checked), provider payments, their webhook events, payouts, and escrow on bookings.

CREATE TABLE ledger_accounts (
    id       bigserial PRIMARY KEY,
    -- The user an account belongs to; NULL for the platform's accounts.
    owner_id uuid REFERENCES users (id),
    kind     text   NOT NULL CHECK (kind IN ('available', 'escrow', 'earnings', 'revenue', 'provider_clearing:stripe',
                                             'provider_clearing:upi', 'payouts', 'adjustments')),
    -- The sum of the account's entries, kept by ledger_post in the posting transaction.
    balance  bigint NOT NULL DEFAULT 0,
    CHECK ((owner_id IS NULL) = (kind NOT IN ('available', 'escrow', 'earnings'))),
    CONSTRAINT ledger_non_negative CHECK (kind NOT IN ('available', 'escrow', 'earnings') OR balance >= 0),
    UNIQUE NULLS NOT DISTINCT (owner_id, kind)
);

-- One money movement. (kind, reference) is unique: a payment is granted once, an escrow released once.
CREATE TABLE ledger_transactions (
    id         bigserial PRIMARY KEY,
    kind       text        NOT NULL,
    reference  text        NOT NULL,
    memo       text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, reference)
);

-- Signed amounts in whole credits: positive raises the account's balance. Every transaction sums to zero.
CREATE TABLE ledger_entries (
    id             bigserial PRIMARY KEY,
    transaction_id bigint NOT NULL REFERENCES ledger_transactions (id),
    account_id     bigint NOT NULL REFERENCES ledger_accounts (id),
    amount         bigint NOT NULL CHECK (amount <> 0)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, id);
CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id);

CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

-- At commit, every transaction that got entries must sum to zero.
CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT sum(amount) FROM ledger_entries WHERE transaction_id = NEW.transaction_id) <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance', NEW.transaction_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER ledger_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();

-- Posts one transaction: (owner, kind, amount) legs (owner '' = the platform). Returns its id, or NULL when (kind, reference) was already
-- posted (nothing happens then). Accounts are created on first use and locked in id order (no deadlocks); a user
-- account going below zero fails the statement with ledger_non_negative (SQLSTATE 23514).
CREATE FUNCTION ledger_post(p_kind text, p_reference text, p_owners text[], p_kinds text[], p_amounts bigint[], p_memo text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    tx bigint;
    leg record;
BEGIN
    INSERT INTO ledger_transactions (kind, reference, memo) VALUES (p_kind, p_reference, p_memo)
    ON CONFLICT (kind, reference) DO NOTHING RETURNING id INTO tx;
    IF tx IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO ledger_accounts (owner_id, kind)
    SELECT DISTINCT nullif(o, '')::uuid, k FROM unnest(p_owners, p_kinds) AS u(o, k)
    ON CONFLICT (owner_id, kind) DO NOTHING;
    FOR leg IN
        SELECT a.id AS account_id, sum(u.amount) AS amount
        FROM unnest(p_owners, p_kinds, p_amounts) AS u(owner_id, kind, amount)
        JOIN ledger_accounts a ON a.owner_id IS NOT DISTINCT FROM nullif(u.owner_id, '')::uuid AND a.kind = u.kind
        GROUP BY a.id ORDER BY a.id
    LOOP
        UPDATE ledger_accounts SET balance = balance + leg.amount WHERE id = leg.account_id;
        INSERT INTO ledger_entries (transaction_id, account_id, amount) VALUES (tx, leg.account_id, leg.amount);
    END LOOP;
    RETURN tx;
END
$$;

-- A top-up with a payment provider. Credits are granted only by a verified webhook (ledger kind 'topup').
CREATE TABLE payments (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid        NOT NULL REFERENCES users (id),
    provider         text        NOT NULL CHECK (provider IN ('stripe', 'upi')),
    credits          int         NOT NULL CHECK (credits > 0),
    amount_minor     bigint      NOT NULL CHECK (amount_minor > 0),
    currency         text        NOT NULL,
    provider_ref     text,
    client_secret    text,
    upi_link         text,
    status           text        NOT NULL DEFAULT 'created'
                                 CHECK (status IN ('created', 'succeeded', 'failed', 'refunded', 'partially_refunded')),
    refunded_credits int         NOT NULL DEFAULT 0 CHECK (refunded_credits BETWEEN 0 AND credits),
    idempotency_key  text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, idempotency_key),
    UNIQUE (provider, provider_ref)
);

-- Every webhook event seen, once per provider event id, with what was done.
CREATE TABLE provider_events (
    provider    text        NOT NULL,
    event_id    text        NOT NULL,
    event_type  text        NOT NULL,
    outcome     text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id)
);

CREATE TABLE payouts (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    mentor_id    uuid        NOT NULL REFERENCES users (id),
    credits      int         NOT NULL CHECK (credits > 0),
    status       text        NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'paid', 'failed')),
    transfer_ref text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    decided_at   timestamptz,
    decided_by   uuid
);
CREATE INDEX payouts_mentor ON payouts (mentor_id, created_at DESC);

-- Escrow on bookings: the price moved from the mentee's available credits when booked, and where it went.
ALTER TABLE bookings
    ADD COLUMN price_credits int  NOT NULL DEFAULT 0 CHECK (price_credits >= 0),
    ADD COLUMN escrow_state  text NOT NULL DEFAULT 'none' CHECK (escrow_state IN ('none', 'held', 'released', 'refunded'));
CREATE INDEX bookings_escrow_due ON bookings (ends_at) WHERE escrow_state = 'held';
-- The provider's id of the captured charge (Razorpay's pay_…; refunds name it).
ALTER TABLE payments ADD COLUMN provider_charge_ref text;

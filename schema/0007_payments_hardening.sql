-- Payments hardening (issue 11): payouts claimed before the provider is called, refunds as their own rows with a
-- state, provider-side refunds and disputes, escrow that can be disputed (no-show) or frozen, webhook dedup keys.

-- Payouts: `processing` is claimed (under the row lock) by the one approval that calls the provider; a provider
-- answer that is not final (409, timeout, 5xx) leaves it there until the provider's record settles it.
ALTER TABLE payouts DROP CONSTRAINT payouts_status_check;
ALTER TABLE payouts ADD CONSTRAINT payouts_status_check CHECK (status IN ('requested', 'processing', 'paid', 'failed'));
ALTER TABLE payouts
    ADD COLUMN claimed_at timestamptz,
    ADD COLUMN claimed_by uuid;

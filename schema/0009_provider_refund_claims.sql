-- Refunds made on the provider's side (its dashboard, the bank), claimed once by the provider's refund id (Stripe re_…,
-- Razorpay rfnd_…) whichever event names them first: Stripe reports one dashboard refund as `charge.refunded` (the
-- charge's refunded total, no refund id) and as `refund.created` / `refund.updated`, in any order. A total adds a
-- refund row without a provider_ref for what no refund accounts for yet; a refund claimed later takes its amount from
-- those rows first (`covered_minor`) and gets a refund row of its own (`refund_id`) only for the rest.
CREATE TABLE provider_refund_claims (
    provider      text        NOT NULL CHECK (provider IN ('stripe', 'upi')),
    refund_ref    text        NOT NULL,
    payment_id    uuid        NOT NULL REFERENCES payments (id),
    amount_minor  bigint      NOT NULL CHECK (amount_minor > 0),
    covered_minor bigint      NOT NULL DEFAULT 0 CHECK (covered_minor >= 0 AND covered_minor <= amount_minor),
    status        text        NOT NULL CHECK (status IN ('succeeded', 'failed')),
    refund_id     uuid        REFERENCES refunds (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, refund_ref)
);
CREATE INDEX provider_refund_claims_payment ON provider_refund_claims (payment_id);

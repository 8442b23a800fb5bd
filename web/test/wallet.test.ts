import assert from "node:assert/strict";
import { test } from "node:test";
import { CHECKOUT_BASE, checkoutUrl, parseCredits, returnedPayment } from "../src/pages/wallet/checkout";
import { parsePayoutCredits, payoutRefusal, payoutStatusText } from "../src/pages/wallet/payoutRules";

const id = "475F1D1B-4BB9-4B14-8EC3-804C9AAADABD";

test("the checkout address is the provider's page on this origin, returning to the wallet with the payment", () => {
    const url = checkoutUrl({ paymentId: id, providerRef: "pi_abc" });
    assert.equal(url, `${CHECKOUT_BASE}pi_abc?return=${encodeURIComponent(`/wallet?payment=${id}`)}`);
    assert.ok(url?.startsWith("/dev-payments/checkout/"));
    assert.equal(checkoutUrl({ paymentId: id }), undefined, "no provider reference: no page to go to");
    assert.ok(checkoutUrl({ paymentId: id, providerRef: "../x?y" })?.startsWith(`${CHECKOUT_BASE}..%2Fx%3Fy?`));
});

test("only a payment id comes back from the address", () => {
    assert.equal(returnedPayment(`?payment=${id}`), id);
    assert.equal(returnedPayment("?payment=<script>"), undefined);
    assert.equal(returnedPayment(""), undefined);
});

test("credits are a whole number in range", () => {
    assert.deepEqual(parseCredits(" 50 "), { credits: 50 });
    for (const bad of ["", "0", "-1", "1.5", "abc", "100001"]) assert.ok(parseCredits(bad).problem, bad);
});

test("a payout is a whole number from 1 up to the earnings available", () => {
    assert.deepEqual(parsePayoutCredits(" 40 ", 50), { credits: 40 });
    assert.deepEqual(parsePayoutCredits("50", 50), { credits: 50 });
    assert.match(parsePayoutCredits("51", 50).problem ?? "", /At most your available earnings, 50 credits/);
    assert.match(parsePayoutCredits("5", 0).problem ?? "", /no earnings/);
    for (const bad of ["", "0", "-3", "2.5", "ten", "1000001"]) assert.ok(parsePayoutCredits(bad, 2_000_000).problem, bad);
});

test("payout statuses and refusals in words", () => {
    assert.match(payoutStatusText("requested"), /waiting for approval/);
    assert.equal(payoutStatusText("paid"), "Paid");
    assert.match(payoutStatusText("failed"), /returned/);
    assert.equal(payoutStatusText("on_hold"), "on_hold");
    assert.match(payoutRefusal("insufficient_credits", 12) ?? "", /more than your available earnings \(12 credits\)/);
    assert.equal(payoutRefusal("in_debt", 12), undefined, "the server's message says how much is owed");
});

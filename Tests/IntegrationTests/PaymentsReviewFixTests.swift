import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import PostgresAdapter
import PostgresNIO
import Testing

/// The hostile review of payments: one provider refund reported by several events is taken once in any order; a
/// failed lookup never pays a payout twice; a mentor in debt cannot ask for a payout; ledger legs lock the user's
/// accounts in one order.
@Suite(.timeLimit(.minutes(3))) struct PaymentsReviewFixTests {
    static let stripeSecret = "whsec_review"

    func processor(_ harness: PaymentsHarness) -> WebhookProcessor {
        var configuration = PaymentsConfiguration()
        configuration.stripeWebhookSecrets = [Self.stripeSecret]
        return WebhookProcessor(store: harness.base.payments, configuration: configuration, logger: TestEnvironment.logger)
    }

    func stripe(_ processor: WebhookProcessor, _ json: String) async -> WebhookProcessor.Reply {
        let body = Array(json.utf8)
        let header = WebhookSignature.stripeHeader(body: body, secret: Self.stripeSecret, timestamp: Int64(Date().timeIntervalSince1970))
        return await processor.stripe(headers: ["stripe-signature": header], body: body)
    }

    func payment(_ harness: PaymentsHarness, _ id: String) async throws -> Payment {
        let uuid = try #require(UUID(uuidString: id))
        return try #require(try await harness.base.payments.payment(id: uuid))
    }

    /// One provider-side event of a payment: `charge.refunded` with the refunded total, or a refund by its id.
    enum Report: Sendable, CustomStringConvertible {
        case total(Int64)
        case refund(String, Int64, type: String)

        /// The event's JSON; refund ids are made unique per payment with `tag` (Stripe's ids are global).
        func json(intent: String, tag: String) -> String {
            let event = "evt_\(UUID().uuidString.prefix(12))"
            switch self {
            case .total(let total):
                return
                    #"{"id":"\#(event)","type":"charge.refunded","data":{"object":{"id":"ch_rv","object":"charge","payment_intent":"\#(intent)","amount":1000,"amount_refunded":\#(total),"currency":"usd"}}}"#
            case .refund(let id, let amount, let type):
                return
                    #"{"id":"\#(event)","type":"\#(type)","data":{"object":{"id":"\#(id)_\#(tag)","object":"refund","amount":\#(amount),"charge":"ch_rv","payment_intent":"\#(intent)","currency":"usd","status":"succeeded"}}}"#
            }
        }

        var description: String {
            switch self {
            case .total(let total): "charge.refunded(\(total))"
            case .refund(let id, let amount, let type): "\(type)(\(id), \(amount))"
            }
        }
    }

    static func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index in
            var rest = items
            let first = rest.remove(at: index)
            return permutations(rest).map { [first] + $0 }
        }
    }

    /// Stripe reports a dashboard refund as `charge.refunded` and as `refund.created` / `refund.updated`: before,
    /// a `charge.refunded` followed by the refund's own event took the credits twice. Each refund is claimed by its
    /// id, and totals only add what no refund accounts for, so every order of delivery takes each refund once.
    @Test(arguments: [
        // One $4.00 dashboard refund, reported three ways.
        [Report.total(400), .refund("re_one", 400, type: "refund.created"), .refund("re_one", 400, type: "refund.updated")],
        // Two refunds ($2.00 and $3.00), totals possibly delivered late or stale.
        [Report.total(200), .total(500), .refund("re_a", 200, type: "refund.updated"), .refund("re_b", 300, type: "refund.updated")],
    ]) func aProviderRefundIsTakenOnceWhateverTheEventsAndTheirOrder(_ reports: [Report]) async throws {
        try await PaymentsHarness.with { harness in
            let processor = processor(harness)
            let expected = reports.reduce(Int64(0)) { total, report in
                if case .total(let value) = report { return max(total, value) }
                return total
            }
            for order in Self.permutations(reports) {
                let (mentee, paymentId) = try await RefundPathTests.paid(harness, credits: 10)
                let intent = try #require(try await payment(harness, paymentId).providerRef)
                let tag = String(paymentId.prefix(8))
                for report in order {
                    let reply = await stripe(processor, report.json(intent: intent, tag: tag))
                    #expect(reply.status == 200, "\(order): \(reply.body)")
                }
                let credits = Int(expected / 100)
                #expect(try await payment(harness, paymentId).refundedCredits == credits, "\(order)")
                #expect(try await harness.base.wallet(mentee).available == Int64(10 - credits), "\(order)")
            }
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    /// Our refund's row in the database: its id and the provider's id.
    func ourRefund(_ harness: PaymentsHarness, _ paymentId: String) async throws -> (id: UUID, providerRef: String?, status: String) {
        let payment = try #require(UUID(uuidString: paymentId))
        for try await row in try await harness.base.pool.client.query(
            "SELECT id, provider_ref, status FROM refunds WHERE payment_id = \(payment) AND origin = 'platform' ORDER BY created_at DESC LIMIT 1",
            logger: TestEnvironment.logger
        ).decode((UUID, String?, String).self) { return row }
        throw RefundPathTests.TestFailure("no refund")
    }

    /// A Stripe `refund.*` event for one of our refunds.
    func refundEvent(type: String, status: String, providerRef: String, ours: UUID, intent: String, amount: Int64) -> String {
        #"{"id":"evt_\#(UUID().uuidString.prefix(12))","type":"\#(type)","data":{"object":{"id":"\#(providerRef)","object":"refund","amount":\#(amount),"payment_intent":"\#(intent)","currency":"usd","status":"\#(status)","metadata":{"refund_id":"\#(ours.uuidString)"}}}}"#
    }

    /// The provider answered 200 with a pending refund, then `refund.failed`: before, the refund was recorded as
    /// succeeded at once and the failure ignored (credits taken, money kept). It now stays pending, and the failure
    /// gives the credits back, once however often it is reported.
    @Test func aPendingRefundThatFailsGivesTheCreditsBackOnce() async throws {
        try await PaymentsHarness.with { harness in
            let processor = processor(harness)
            let admin = try await harness.base.user(.admin)
            let (mentee, paymentId) = try await RefundPathTests.paid(harness, credits: 10)
            let intent = try #require(try await payment(harness, paymentId).providerRef)
            harness.provider.configure { $0.refundStatus = .pending }
            let pending = try await harness.call("payments.refund", #"{"paymentId":"\#(paymentId)","credits":4}"#, as: admin)
            #expect(pending.reason == "provider_pending", "\(String(describing: pending.result))")
            let refund = try await ourRefund(harness, paymentId)
            #expect(refund.status == "pending")
            let reference = try #require(refund.providerRef, "the provider's refund id is kept")
            #expect(try await harness.base.wallet(mentee).available == 6)
            for type in ["refund.failed", "refund.updated"] {
                let event = refundEvent(type: type, status: "failed", providerRef: reference, ours: refund.id, intent: intent, amount: 400)
                #expect(await stripe(processor, event).status == 200)
            }
            #expect(try await ourRefund(harness, paymentId).status == "failed")
            #expect(try await harness.base.wallet(mentee).available == 10)
            #expect(try await payment(harness, paymentId).refundedCredits == 0)
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    /// A refund can fail at the provider after it succeeded (Stripe sends `refund.failed`): the provider's word
    /// wins, and the credits come back once.
    @Test func aRefundThatFailsAfterItSucceededGivesTheCreditsBack() async throws {
        try await PaymentsHarness.with { harness in
            let processor = processor(harness)
            let admin = try await harness.base.user(.admin)
            let (mentee, paymentId) = try await RefundPathTests.paid(harness, credits: 10)
            let intent = try #require(try await payment(harness, paymentId).providerRef)
            #expect(try await harness.call("payments.refund", #"{"paymentId":"\#(paymentId)","credits":4}"#, as: admin).result != nil)
            let refund = try await ourRefund(harness, paymentId)
            #expect(refund.status == "succeeded")
            let event = refundEvent(
                type: "refund.failed", status: "failed", providerRef: try #require(refund.providerRef), ours: refund.id, intent: intent, amount: 400)
            #expect(await stripe(processor, event).status == 200)
            #expect(await stripe(processor, event.replacingOccurrences(of: #""id":"evt_"#, with: #""id":"evt_x"#)).status == 200)
            #expect(try await ourRefund(harness, paymentId).status == "failed")
            #expect(try await harness.base.wallet(mentee).available == 10)
            // A late success report changes nothing: a failed refund is final.
            let late = refundEvent(
                type: "refund.updated", status: "succeeded", providerRef: try #require(refund.providerRef), ours: refund.id, intent: intent,
                amount: 400)
            #expect(await stripe(processor, late).status == 200)
            #expect(try await harness.base.wallet(mentee).available == 10)
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    /// A dashboard refund that fails after it succeeded: taken by its own row, it is given back once; taken with a
    /// charge's refunded total, it is left for an admin (audited `needs_review`), never guessed.
    @Test func aProviderRefundThatFailsAfterItSucceeded() async throws {
        try await PaymentsHarness.with { harness in
            let processor = processor(harness)
            let (mentee, paymentId) = try await RefundPathTests.paid(harness, credits: 10)
            let intent = try #require(try await payment(harness, paymentId).providerRef)
            func report(_ id: String, _ status: String) -> String {
                #"{"id":"evt_\#(UUID().uuidString.prefix(12))","type":"refund.updated","data":{"object":{"id":"\#(id)","object":"refund","amount":300,"payment_intent":"\#(intent)","currency":"usd","status":"\#(status)"}}}"#
            }
            #expect(await stripe(processor, report("re_own", "succeeded")).status == 200)
            #expect(try await harness.base.wallet(mentee).available == 7)
            #expect(await stripe(processor, report("re_own", "failed")).status == 200)
            #expect(await stripe(processor, report("re_own", "failed")).status == 200)
            #expect(try await harness.base.wallet(mentee).available == 10)
            #expect(try await payment(harness, paymentId).refundedCredits == 0)
            // Taken with the charge's total first.
            #expect(await stripe(processor, Report.total(300).json(intent: intent, tag: "")).status == 200)
            #expect(await stripe(processor, report("re_total", "succeeded")).status == 200)
            #expect(try await harness.base.wallet(mentee).available == 7)
            #expect(await stripe(processor, report("re_total", "failed")).status == 200)
            #expect(try await harness.base.wallet(mentee).available == 7)
            #expect(
                try await harness.base.count(
                    "SELECT count(*)::int FROM audit_entries WHERE action = 'payment.provider_refund_failed' AND outcome = 'needs_review'") == 1)
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    /// `payments.settleRefund` settles a pending refund by the provider's record: a failed lookup leaves it pending;
    /// the provider's answer settles it; a refund the provider never received is asked for again with its key.
    @Test func settleRefundFollowsTheProvidersRecord() async throws {
        try await PaymentsHarness.with { harness in
            let admin = try await harness.base.user(.admin)
            let (mentee, paymentId) = try await RefundPathTests.paid(harness, credits: 10)
            harness.provider.configure { $0.refundStatus = .pending }
            #expect(try await harness.call("payments.refund", #"{"paymentId":"\#(paymentId)","credits":4}"#, as: admin).reason == "provider_pending")
            let refund = try await ourRefund(harness, paymentId)
            let settle = #"{"refundId":"\#(refund.id)"}"#
            harness.provider.configure { $0.lookupFailure = GatewayError(status: 503, message: "unavailable") }
            #expect(try await harness.call("payments.settleRefund", settle, as: admin).reason == "provider_pending")
            harness.provider.configure { $0.lookupFailure = nil }
            #expect(try await harness.call("payments.settleRefund", settle, as: admin).reason == "provider_pending", "still pending")
            harness.provider.configure { $0.refundStatus = .succeeded }
            let settled = try await harness.call("payments.settleRefund", settle, as: admin)
            #expect(settled.result?["status"] as? String == "succeeded", "\(String(describing: settled.error))")
            #expect(try await harness.call("payments.settleRefund", settle, as: admin).result?["status"] as? String == "succeeded")
            #expect(try await harness.base.wallet(mentee).available == 6)
            // Never reached the provider: settling asks again (the same key), once; a failure gives the credits back.
            harness.provider.configure { $0.refuseWith = GatewayError(status: 0, message: "connection refused") }
            #expect(try await harness.call("payments.refund", #"{"paymentId":"\#(paymentId)","credits":2}"#, as: admin).reason == "provider_pending")
            let second = try await ourRefund(harness, paymentId)
            #expect(second.providerRef == nil && second.status == "pending")
            harness.provider.configure {
                $0.refuseWith = nil
                $0.refundStatus = .failed
            }
            let failed = try await harness.call("payments.settleRefund", #"{"refundId":"\#(second.id)"}"#, as: admin)
            #expect(failed.result?["status"] as? String == "failed", "\(String(describing: failed.error))")
            #expect(harness.provider.refundsMade == 2)
            #expect(try await harness.base.wallet(mentee).available == 6)
            #expect(try await payment(harness, paymentId).refundedCredits == 4)
            #expect(try await harness.call("payments.settleRefund", #"{"refundId":"\#(UUID())"}"#, as: admin).reason == "not_found")
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    /// `payouts.settle` took a failed lookup for "no transfer" and asked for the transfer again: once the idempotency
    /// key has expired at the provider, that pays the mentor twice. A lookup that fails now leaves the payout
    /// `processing` (`provider_pending`) and calls nothing else.
    @Test func aFailedTransferLookupNeverTransfersAgain() async throws {
        try await PaymentsHarness.with { harness in
            let admin = try await harness.base.user(.admin)
            let mentor = try await harness.base.user(.mentor)
            try await harness.earn(mentor, 15)
            let payoutId = try #require(try await harness.call("payouts.request", #"{"credits":15}"#, as: mentor).result?["payoutId"] as? String)
            harness.provider.configure {
                $0.failAfterMaking = GatewayError(status: 0, message: "timed out")
                $0.lookupFailure = GatewayError(status: 503, message: "unavailable")
            }
            #expect(try await harness.call("payouts.approve", #"{"payoutId":"\#(payoutId)"}"#, as: admin).reason == "provider_pending")
            #expect(harness.provider.transfersMade == 1)
            // The provider has forgotten the idempotency key (expired) and cannot be asked what it made.
            harness.provider.configure {
                $0.made = [:]
                $0.failAfterMaking = nil
            }
            let calls = harness.provider.calls
            let settled = try await harness.call("payouts.settle", #"{"payoutId":"\#(payoutId)"}"#, as: admin)
            #expect(settled.reason == "provider_pending", "\(String(describing: settled.result))")
            #expect(harness.provider.calls == calls, "a second transfer was asked for")
            #expect(harness.provider.transfersMade == 0)
            #expect(try await harness.base.count("SELECT count(*)::int FROM payouts WHERE status = 'processing'") == 1)
            // The provider answers again: its record settles the payout.
            harness.provider.configure { $0.lookupFailure = nil }
            #expect(try await harness.call("payouts.settle", #"{"payoutId":"\#(payoutId)"}"#, as: admin).result?["status"] as? String == "paid")
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    /// A mentor whose top-up was refunded at the provider after the credits were spent owes credits (a debt); a
    /// payout request then is refused with `in_debt` until the debt is repaid (by a top-up).
    @Test func aMentorInDebtCannotRequestAPayout() async throws {
        try await PaymentsHarness.with { harness in
            let mentor = try await harness.base.user(.mentor)
            try await harness.earn(mentor, 20)
            let (_, paymentId) = try await RefundPathTests.paid(harness, credits: 10, user: mentor)
            _ = try await harness.base.payments.adjust(
                userId: mentor.id, credits: -10, reason: "spent", audit: AuditEntry(actorId: nil, action: "test"))
            let intent = try #require(try await payment(harness, paymentId).providerRef)
            _ = try await harness.base.payments.process(
                ProviderEvent(
                    provider: .stripe, eventId: "evt_debt", type: "charge.refunded", succeeded: false, providerRef: intent, chargeRef: nil,
                    amount: 1000, currency: "usd", action: .refundedTotal(1000)), requestId: nil)
            #expect(try await harness.base.wallet(mentor).debt == 10)
            let refused = try await harness.call("payouts.request", #"{"credits":20}"#, as: mentor)
            #expect(refused.reason == "in_debt", "\(String(describing: refused.result))")
            #expect(refused.error?.data["owed"] == .int(10))
            #expect(try await harness.base.wallet(mentor).earnings == 20)
            // Repaid by a top-up: the payout can be asked for.
            _ = try await RefundPathTests.paid(harness, credits: 10, user: mentor)
            #expect(try await harness.call("payouts.request", #"{"credits":20}"#, as: mentor).result?["status"] as? String == "requested")
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    /// Waits until some session of this database waits for a row lock.
    func waitForLockWait(_ harness: PaymentsHarness) async throws {
        for _ in 0..<500 {
            let waiting = try await harness.base.count(
                "SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
            if waiting > 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RefundPathTests.TestFailure("nothing waited for a lock")
    }

    /// Whether a row lock on a ledger account can be taken at once.
    func lockable(_ harness: PaymentsHarness, account: Int64) async -> Bool {
        do {
            try await harness.base.pool.client.withTransaction(logger: TestEnvironment.logger) { connection in
                // The rows are read: an execution error (55P03) only surfaces there.
                for try await _ in try await connection.query(
                    "SELECT 1 FROM ledger_accounts WHERE id = \(account) FOR UPDATE NOWAIT", logger: TestEnvironment.logger)
                {}
            }
            return true
        } catch { return false }
    }

    /// giveLegs locked the user's debt account, then ledger_post their available one; takeLegs the other way round:
    /// two such postings for one user deadlocked. Both now lock every account they touch in one statement, in id
    /// order (ledger_post's order): while one waits for the lower account it holds none of the higher ones.
    @Test func ledgerLegsLockTheAccountsInIdOrder() async throws {
        try await PaymentsHarness.with { harness in
            let (mentee, paymentId) = try await RefundPathTests.paid(harness, credits: 10)
            let intent = try #require(try await payment(harness, paymentId).providerRef)
            try await harness.base.pool.client.query(
                "INSERT INTO ledger_accounts (owner_id, kind) VALUES (\(mentee.id), 'debt') ON CONFLICT DO NOTHING", logger: TestEnvironment.logger)
            var ids: [Int64] = []
            for try await id in try await harness.base.pool.client.query(
                "SELECT id FROM ledger_accounts WHERE owner_id = \(mentee.id) AND kind IN ('available', 'debt') ORDER BY id",
                logger: TestEnvironment.logger
            ).decode(Int64.self) { ids.append(id) }
            try #require(ids.count == 2)
            let (low, high) = (ids[0], ids[1])
            let postings: [(String, @Sendable () async throws -> Void)] = [
                ("a top-up (giveLegs)", { _ = try await RefundPathTests.paid(harness, credits: 5, user: mentee) }),
                (
                    "a provider refund (takeLegs)",
                    {
                        _ = try await harness.base.payments.process(
                            ProviderEvent(
                                provider: .stripe, eventId: "evt_lock", type: "charge.refunded", succeeded: false, providerRef: intent,
                                chargeRef: nil, amount: 1000, currency: "usd", action: .refundedTotal(100)), requestId: nil)
                    }
                ),
            ]
            for (name, posting) in postings {
                let running = try await harness.base.pool.client.withTransaction(logger: TestEnvironment.logger) { side in
                    for try await _ in try await side.query(
                        "SELECT 1 FROM ledger_accounts WHERE id = \(low) FOR UPDATE", logger: TestEnvironment.logger)
                    {}
                    let running = Task { try await posting() }
                    try await waitForLockWait(harness)
                    #expect(await lockable(harness, account: high), "\(name) holds account \(high) while it waits for \(low)")
                    return running
                }
                try await running.value
            }
            #expect(try await harness.base.wallet(mentee).available == 14)
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }
}

import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import PaymentsService

/// `mentorlink dev-payments`: a local stand-in for Stripe and a UPI gateway speaking the subset of their wire formats
/// the project uses (form-encoded Stripe, Razorpay-format JSON, their auth, idempotency keys and error JSON), and
/// sending correctly signed webhooks to nginx when a payment completes; and a hosted checkout page with a "Pay"
/// button (DevPaymentsCheckout.swift).
struct DevPaymentsServer: Sendable {
    let settings: ProviderSettings
    let webhookBase: String
    let autoComplete: Bool
    let state = DevPaymentsState()
    let logger: Logger

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("/v1/payment_intents") { request, _ in try await self.stripe(request) { form in try await self.createIntent(form, request) } }
        router.get("/v1/payment_intents/:id") { request, context in
            try await self.stripe(request, idempotent: false) { _ in
                guard let id = context.parameters.get("id"), let intent = await self.state.intent(id) else {
                    return Self.stripeError(404, "resource_missing", "No such payment_intent")
                }
                return (200, Self.json(intent))
            }
        }
        router.post("/v1/refunds") { request, _ in
            try await self.stripe(request) { form in
                guard let intent = form["payment_intent"], let amount = form["amount"].flatMap(Int64.init), amount > 0 else {
                    return Self.stripeError(400, "parameter_missing", "payment_intent and a positive amount are required")
                }
                guard await self.state.refundIntent(intent, amount: amount) else {
                    return Self.stripeError(400, "charge_already_refunded", "The amount exceeds what can be refunded")
                }
                return (
                    200,
                    ["id": "re_\(DevPaymentsState.random())", "object": "refund", "amount": amount, "payment_intent": intent, "status": "succeeded"]
                )
            }
        }
        router.post("/v1/transfers") { request, _ in
            try await self.stripe(request) { form in
                guard let amount = form["amount"].flatMap(Int64.init), amount > 0, let destination = form["destination"], form["currency"] != nil
                else { return Self.stripeError(400, "parameter_missing", "amount, currency and destination are required") }
                let transfer = await self.state.createTransfer(
                    amount: amount, currency: form["currency"] ?? "", destination: destination, group: form["transfer_group"])
                return (200, Self.json(transfer))
            }
        }
        // Stripe's transfer lookups: one by id, or the list filtered by transfer_group (how a payout whose answer was
        // lost is found again).
        router.get("/v1/transfers/:id") { request, context in
            try await self.stripe(request, idempotent: false) { _ in
                guard let id = context.parameters.get("id"), let transfer = await self.state.transfer(id) else {
                    return Self.stripeError(404, "resource_missing", "No such transfer")
                }
                return (200, Self.json(transfer))
            }
        }
        router.get("/v1/transfers") { request, _ in
            try await self.stripe(request, idempotent: false) { _ in
                let group = request.uri.queryParameters.get("transfer_group")
                let found = await self.state.transfers(group: group)
                return (200, ["object": "list", "data": found.map(Self.json), "has_more": false, "url": "/v1/transfers"])
            }
        }
        router.post("/v1/orders") { request, _ in try await self.razorpay(request) { body in try await self.createOrder(body) } }
        router.post("/v1/payments/:id/refund") { request, context in
            try await self.razorpay(request) { body in
                guard let payment = context.parameters.get("id"), let amount = (body["amount"] as? NSNumber)?.int64Value, amount > 0 else {
                    return Self.razorpayError(400, "amount is required")
                }
                guard await self.state.refundPayment(payment, amount: amount) else { return Self.razorpayError(400, "The refund amount is invalid") }
                return (
                    200,
                    ["id": "rfnd_\(DevPaymentsState.random())", "entity": "refund", "amount": amount, "payment_id": payment, "status": "processed"]
                )
            }
        }
        // Refunds and disputes made "in the provider's dashboard": they reach the app only through their webhooks.
        router.post("/dev/refund/:reference") { request, context in
            let amount = request.uri.queryParameters.get("amount").flatMap { Int64($0) }
            let status = await self.providerRefund(context.parameters.get("reference") ?? "", amount: amount)
            return Response(
                status: .init(code: status == 0 ? 404 : 200), body: .init(byteBuffer: ByteBuffer(string: #"{"webhookStatus":\#(status)}"#)))
        }
        router.post("/dev/dispute/:reference") { _, context in
            let status = await self.dispute(context.parameters.get("reference") ?? "")
            return Response(
                status: .init(code: status == 0 ? 404 : 200), body: .init(byteBuffer: ByteBuffer(string: #"{"webhookStatus":\#(status)}"#)))
        }
        router.post("/dev/complete/:reference") { _, context in
            let status = await self.complete(context.parameters.get("reference") ?? "")
            return Response(
                status: .init(code: status == 0 ? 404 : 200), body: .init(byteBuffer: ByteBuffer(string: #"{"webhookStatus":\#(status)}"#)))
        }
        addCheckout(to: router)
        return router
    }

    // MARK: Stripe

    /// Checks the secret key, replays a repeated `Idempotency-Key`, decodes the form.
    func stripe(
        _ request: Request, idempotent: Bool = true, _ body: @escaping @Sendable ([String: String]) async throws -> (Int, [String: Any])
    ) async throws -> Response {
        guard request.headers[.authorization] == "Bearer \(settings.stripeSecretKey)", !settings.stripeSecretKey.isEmpty else {
            return Self.response(Self.stripeError(401, "invalid_api_key", "Invalid API Key provided"))
        }
        let raw = try await request.body.collect(upTo: 1 << 20)
        let form = Self.form(String(buffer: raw))
        guard idempotent, let key = request.headers[HTTPField.Name("Idempotency-Key")!].map({ "stripe:\($0)" }) else {
            return Self.response(Self.stored(try await body(form)))
        }
        // As Stripe: a repeated key replays the first answer; one whose first request is still running gets 409.
        switch await state.begin(key) {
        case .answered(let stored): return Self.response(stored)
        case .inFlight: return Self.response(Self.stripeError(409, "idempotency_key_in_use", "A request with this idempotency key is in progress"))
        case .new: break
        }
        let reply: DevPaymentsState.StoredReply
        do { reply = Self.stored(try await body(form)) } catch {
            await state.abandon(key)
            throw error
        }
        await state.remember(key, reply)
        return Self.response(reply)
    }

    func createIntent(_ form: [String: String], _ request: Request) async throws -> (Int, [String: Any]) {
        guard let amount = form["amount"].flatMap(Int64.init), amount > 0, let currency = form["currency"], !currency.isEmpty else {
            return Self.stripeError(400, "parameter_invalid_integer", "amount must be a positive integer and currency is required")
        }
        let intent = await state.createIntent(amount: amount, currency: currency, paymentId: form["metadata[payment_id]"] ?? "")
        if autoComplete { scheduleCompletion(intent.id) }
        return (200, Self.json(intent))
    }

    static func json(_ intent: DevPaymentsState.Intent) -> [String: Any] {
        [
            "id": intent.id, "object": "payment_intent", "amount": intent.amount, "currency": intent.currency, "status": intent.status,
            "client_secret": "\(intent.id)_secret_\(DevPaymentsState.random())", "metadata": ["payment_id": intent.paymentId],
            "latest_charge": intent.charge ?? NSNull(),
        ]
    }

    static func json(_ transfer: DevPaymentsState.Transfer) -> [String: Any] {
        [
            "id": transfer.id, "object": "transfer", "amount": transfer.amount, "currency": transfer.currency, "destination": transfer.destination,
            "transfer_group": transfer.group ?? NSNull(),
        ]
    }

    static func stripeError(_ status: Int, _ code: String, _ message: String) -> (Int, [String: Any]) {
        (status, ["error": ["type": status == 401 ? "authentication_error" : "invalid_request_error", "code": code, "message": message]])
    }

    // MARK: UPI gateway (Razorpay's format)

    func razorpay(_ request: Request, _ body: @escaping @Sendable ([String: Any]) async throws -> (Int, [String: Any])) async throws -> Response {
        let expected = "Basic " + Data("\(settings.upiKeyId):\(settings.upiKeySecret)".utf8).base64EncodedString()
        guard request.headers[.authorization] == expected, !settings.upiKeyId.isEmpty else {
            return Self.response(Self.razorpayError(401, "Authentication failed"))
        }
        let raw = try await request.body.collect(upTo: 1 << 20)
        guard let object = try? JSONSerialization.jsonObject(with: Data(raw.readableBytesView)) as? [String: Any] else {
            return Self.response(Self.razorpayError(400, "The request body is not JSON"))
        }
        return Self.response(try await body(object))
    }

    func createOrder(_ body: [String: Any]) async throws -> (Int, [String: Any]) {
        guard let amount = (body["amount"] as? NSNumber)?.int64Value, amount >= 100, let currency = body["currency"] as? String,
            let receipt = body["receipt"] as? String
        else { return Self.razorpayError(400, "amount (at least 100), currency and receipt are required") }
        let order = await state.createOrder(amount: amount, currency: currency, receipt: receipt)
        if autoComplete { scheduleCompletion(order.id) }
        return (
            200,
            ["id": order.id, "entity": "order", "amount": order.amount, "currency": order.currency, "receipt": order.receipt, "status": order.status]
        )
    }

    static func razorpayError(_ status: Int, _ description: String) -> (Int, [String: Any]) {
        (status, ["error": ["code": "BAD_REQUEST_ERROR", "description": description]])
    }

    // MARK: Completion and webhooks

    func scheduleCompletion(_ reference: String) {
        Task {
            try? await Task.sleep(for: .milliseconds(100))
            _ = await complete(reference)
        }
    }

    /// Completes a payment and delivers its signed webhook; returns the webhook's HTTP status (0: no such payment).
    func complete(_ reference: String) async -> Int {
        let (intent, order) = await state.complete(reference)
        let now = Int64(Date().timeIntervalSince1970)
        var request: HTTPClientRequest
        let body: [UInt8]
        if let intent {
            let event: [String: Any] = [
                "id": "evt_\(DevPaymentsState.random())", "object": "event", "type": "payment_intent.succeeded", "created": now,
                "data": ["object": Self.json(intent)],
            ]
            body = Array((try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])) ?? Data())
            request = HTTPClientRequest(url: "\(webhookBase)/webhooks/stripe")
            request.headers.add(
                name: "Stripe-Signature",
                value: WebhookSignature.stripeHeader(body: body, secret: settings.stripeWebhookSecrets.first ?? "", timestamp: now))
        } else if let order, let payment = order.payment {
            let event: [String: Any] = [
                "entity": "event", "event": "payment.captured", "created_at": now,
                "payload": [
                    "payment": [
                        "entity": [
                            "id": payment, "entity": "payment", "order_id": order.id, "amount": order.amount, "currency": order.currency,
                            "status": "captured", "method": "upi",
                        ]
                    ]
                ],
            ]
            body = Array((try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])) ?? Data())
            request = HTTPClientRequest(url: "\(webhookBase)/webhooks/upi")
            request.headers.add(name: "X-Razorpay-Signature", value: WebhookSignature.hex(body: body, secret: settings.upiWebhookSecrets.first ?? ""))
            request.headers.add(name: "X-Razorpay-Event-Id", value: "evt_\(DevPaymentsState.random())")
        } else {
            return 0
        }
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            logger.info("dev_payments.webhook", metadata: ["reference": .string(reference), "status": .string("\(response.status.code)")])
            return Int(response.status.code)
        } catch {
            logger.warning("dev_payments.webhook_failed", metadata: ["reference": .string(reference), "error": .string("\(error)")])
            return 502
        }
    }

    /// Refunds `amount` (default: all that is left) of a completed payment at the provider and sends the webhook:
    /// Stripe `charge.refunded` (with the charge's refunded total), Razorpay `refund.processed`.
    func providerRefund(_ reference: String, amount: Int64?) async -> Int {
        switch await state.refundAtProvider(reference, amount: amount) {
        case .stripe(let intent):
            let charge: [String: Any] = [
                "id": intent.charge ?? "", "object": "charge", "payment_intent": intent.id, "amount": intent.amount,
                "amount_refunded": intent.refunded, "currency": intent.currency, "refunded": intent.refunded == intent.amount,
            ]
            return await sendStripe(
                ["id": "evt_\(DevPaymentsState.random())", "object": "event", "type": "charge.refunded", "data": ["object": charge]], reference)
        case .upi(let order, let refunded):
            let refund: [String: Any] = [
                "id": "rfnd_\(DevPaymentsState.random())", "entity": "refund", "amount": refunded, "currency": order.currency,
                "payment_id": order.payment ?? "", "status": "processed",
            ]
            return await sendUPI(["entity": "event", "event": "refund.processed", "payload": ["refund": ["entity": refund]]], reference)
        case .none: return 0
        }
    }

    /// Opens a dispute (chargeback) of a completed Stripe payment's full amount and sends `charge.dispute.created`.
    func dispute(_ reference: String) async -> Int {
        guard let intent = await state.completedIntent(reference) else { return 0 }
        let dispute: [String: Any] = [
            "id": "dp_\(DevPaymentsState.random())", "object": "dispute", "charge": intent.charge ?? "", "payment_intent": intent.id,
            "amount": intent.amount, "currency": intent.currency, "status": "needs_response", "reason": "fraudulent",
        ]
        return await sendStripe(
            ["id": "evt_\(DevPaymentsState.random())", "object": "event", "type": "charge.dispute.created", "data": ["object": dispute]], reference)
    }

    func sendStripe(_ event: [String: Any], _ reference: String) async -> Int {
        let now = Int64(Date().timeIntervalSince1970)
        var event = event
        event["created"] = now
        let body = Array((try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])) ?? Data())
        var request = HTTPClientRequest(url: "\(webhookBase)/webhooks/stripe")
        request.headers.add(
            name: "Stripe-Signature",
            value: WebhookSignature.stripeHeader(body: body, secret: settings.stripeWebhookSecrets.first ?? "", timestamp: now))
        return await send(request, body: body, reference)
    }

    func sendUPI(_ event: [String: Any], _ reference: String) async -> Int {
        var event = event
        event["created_at"] = Int64(Date().timeIntervalSince1970)
        let body = Array((try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])) ?? Data())
        var request = HTTPClientRequest(url: "\(webhookBase)/webhooks/upi")
        request.headers.add(name: "X-Razorpay-Signature", value: WebhookSignature.hex(body: body, secret: settings.upiWebhookSecrets.first ?? ""))
        request.headers.add(name: "X-Razorpay-Event-Id", value: "evt_\(DevPaymentsState.random())")
        return await send(request, body: body, reference)
    }

    func send(_ request: HTTPClientRequest, body: [UInt8], _ reference: String) async -> Int {
        var request = request
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            logger.info("dev_payments.webhook", metadata: ["reference": .string(reference), "status": .string("\(response.status.code)")])
            return Int(response.status.code)
        } catch {
            logger.warning("dev_payments.webhook_failed", metadata: ["reference": .string(reference), "error": .string("\(error)")])
            return 502
        }
    }

    // MARK: Helpers

    static func stored(_ reply: (Int, [String: Any])) -> DevPaymentsState.StoredReply {
        DevPaymentsState.StoredReply(
            status: reply.0, body: (try? JSONSerialization.data(withJSONObject: reply.1, options: [.sortedKeys])) ?? Data("{}".utf8))
    }

    static func response(_ reply: (Int, [String: Any])) -> Response { response(stored(reply)) }

    static func response(_ reply: DevPaymentsState.StoredReply) -> Response {
        Response(
            status: .init(code: reply.status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The local provider's hosted payment page: what Stripe Checkout or a UPI gateway's page plays in production, so the
/// whole top-up runs in a browser. `GET /checkout/<pi_… | order_…>` shows the amount and a "Pay" button (a plain form,
/// no script or inline style, so it keeps to the app's CSP when nginx serves it at `/dev-payments/checkout/`);
/// `POST` to the same address marks the payment paid, sends its signed webhook shortly after (as a provider does,
/// not before the browser is back), and answers 303 to `return`: a path of the app only (`/wallet?payment=…`), never
/// another site. Nothing from the address is echoed into the page.
extension DevPaymentsServer {
    /// Adds the checkout routes.
    func addCheckout(to router: Router<BasicRequestContext>) {
        router.get("/checkout/style.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: Self.checkoutCSS)))
        }
        router.get("/checkout/:reference") { _, context in
            guard let payment = await self.state.checkout(context.parameters.get("reference") ?? "") else { return Self.page(404, Self.missing) }
            return Self.page(200, Self.checkoutPage(payment))
        }
        router.post("/checkout/:reference") { request, context in
            let reference = context.parameters.get("reference") ?? ""
            guard let payment = await self.state.checkout(reference) else { return Self.page(404, Self.missing) }
            if !payment.paid { self.scheduleCompletion(payment.reference) }
            var headers = HTTPFields()
            headers[.location] = Self.safeReturn(request.uri.queryParameters.get("return"))
            return Response(status: .seeOther, headers: headers)
        }
    }

    /// Where "Pay" goes back to: a path on the app's own origin, else `/wallet` (no open redirect).
    static func safeReturn(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.hasPrefix("/\\"), !value.contains(where: { $0.isNewline || $0 == "\0" })
        else { return "/wallet" }
        return value
    }

    static func page(_ status: Int, _ html: String) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static let missing = frame(title: "Payment not found", body: "<h1>Payment not found</h1><p>This checkout link is not valid.</p>")

    static func checkoutPage(_ payment: DevPaymentsState.Checkout) -> String {
        let amount = String(format: "%lld.%02lld", payment.amount / 100, payment.amount % 100)
        let provider = payment.upi ? "UPI test gateway" : "Stripe test checkout"
        let method =
            payment.upi
            ? "<p class=\"method\">Pay with any UPI app to <strong>mentorlink@upi</strong>.</p>"
            : "<p class=\"method\">Test card <strong>4242 4242 4242 4242</strong>, any future date, any CVC.</p>"
        let action =
            payment.paid
            ? "<p role=\"status\">This payment is complete.</p><form method=\"post\"><button type=\"submit\">Back to MentorLink</button></form>"
            : "<form method=\"post\"><button type=\"submit\" class=\"pay\">Pay</button></form>"
        return frame(
            title: provider,
            body: """
                <p class="provider">\(provider) · local development provider</p>
                <h1>MentorLink credits</h1>
                <p class="amount" aria-label="Amount">\(escape(payment.currency.uppercased())) \(amount)</p>
                \(method)
                \(action)
                <p class="note">Reference \(escape(payment.reference)). No money moves: this page stands in for the provider's hosted page.</p>
                """)
    }

    /// Text made safe for HTML.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func frame(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title><link rel="icon" href="data:,"><link rel="stylesheet" href="style.css"></head>
        <body><main>\(body)</main></body></html>
        """
    }

    static let checkoutCSS = """
        body { margin: 0; font-family: system-ui, sans-serif; background: #eef1f6; color: #1b1f24; }
        main { max-width: 26rem; margin: 3rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 12px;
               box-shadow: 0 2px 12px rgba(0,0,0,.08); }
        .provider { color: #635bff; font-weight: 600; margin: 0 0 1rem; }
        h1 { font-size: 1.3rem; margin: 0; }
        .amount { font-size: 2rem; font-weight: 700; margin: .5rem 0 1rem; }
        .method, .note { color: #5b6470; }
        .note { font-size: .85rem; margin-top: 1.5rem; }
        button { font: inherit; width: 100%; padding: .75rem; border: 0; border-radius: 8px; background: #635bff; color: #fff;
                 font-weight: 600; cursor: pointer; }
        button:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
        """
}

import Foundation
import FuzzSupport
import PaymentsService

/// The webhook signature parsers: any header and body is accepted only when it carries a real signature, and
/// parsing never traps. The first line of the input is the header, the rest the body.
let secrets = ["whsec_fuzz", "whsec_other"]
let now = Date(timeIntervalSince1970: 1_800_000_000)

func fuzzWebhookSignature(_ bytes: [UInt8]) {
    let split = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
    let header = String(decoding: bytes[..<split], as: UTF8.self)
    let body = Array(bytes[split...].dropFirst())
    _ = try? WebhookSignature.verifyStripe(header: header, body: body, secrets: secrets, now: now)
    _ = try? WebhookSignature.verifyRazorpay(header: header, body: body, secrets: secrets)
    // A correctly signed delivery of the same body verifies.
    let signed = WebhookSignature.stripeHeader(body: body, secret: secrets[0], timestamp: Int64(now.timeIntervalSince1970))
    precondition((try? WebhookSignature.verifyStripe(header: signed, body: body, secrets: secrets, now: now)) != nil)
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput") public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzWebhookSignature(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
#else
@main struct Replay { static func main() { CorpusReplay.run(Array(CommandLine.arguments.dropFirst()), fuzzWebhookSignature) } }
#endif

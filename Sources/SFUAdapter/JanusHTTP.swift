import AsyncHTTPClient
import Foundation
import MentorLinkCore
import NIOCore
import NIOHTTP1

/// One exchange with Janus's HTTP API (or its admin API): a JSON request, a JSON answer; Janus's errors read into
/// ``MentorLinkCore/SFUError``.
struct JanusHTTP: Sendable {
    let client: HTTPClient
    let timeout: TimeAmount

    /// POSTs `body` (with a fresh `transaction`) to `url`; returns the answer, whose `janus` is not `error`.
    func post(_ url: String, _ body: [String: any Sendable]) async throws -> [String: Any] {
        var body = body
        body["transaction"] = UUID().uuidString
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        return try await send(request)
    }

    /// GETs `url` (the server's `info`).
    func get(_ url: String) async throws -> [String: Any] { try await send(HTTPClientRequest(url: url)) }

    private func send(_ request: HTTPClientRequest) async throws -> [String: Any] {
        let response: HTTPClientResponse
        do { response = try await client.execute(request, timeout: timeout) } catch { throw SFUError.unavailable("\(error)") }
        let bytes: ByteBuffer
        do { bytes = try await response.body.collect(upTo: 4 << 20) } catch { throw SFUError.unavailable("\(error)") }
        guard (200..<300).contains(response.status.code) else { throw SFUError.unavailable("HTTP \(response.status.code)") }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] else {
            throw SFUError.unavailable("not a JSON object")
        }
        if object["janus"] as? String == "error" {
            let error = object["error"] as? [String: Any] ?? [:]
            throw Self.coreError(code: Self.integer(error["code"]) ?? 0, reason: error["reason"] as? String ?? "")
        }
        return object
    }

    /// The core's error codes (apierror.h): a session or handle gone (Janus restarted mid-operation) or an internal
    /// failure may be retried; anything else (403 a wrong token, 405 a plugin the token does not name, malformed
    /// requests) is a refusal.
    static func coreError(code: Int, reason: String) -> SFUError {
        switch code {
        case 458, 459, 472, 490: .unavailable("\(code) \(reason)")
        default: .refused(code: code, reason: reason)
        }
    }

    /// A JSON integer (JSONSerialization answers Int, or NSNumber).
    static func integer(_ value: Any?) -> Int? {
        switch value {
        case let int as Int: int
        case let number as NSNumber: number.intValue
        default: nil
        }
    }
}

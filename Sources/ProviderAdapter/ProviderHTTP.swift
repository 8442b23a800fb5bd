import AsyncHTTPClient
import Foundation
import MentorLinkCore
import NIOCore
import NIOHTTP1

/// The HTTP exchange both provider clients use: one request, a JSON answer, the provider's error JSON as
/// ``GatewayError`` (Stripe's and Razorpay's both nest `error.message` / `error.description`).
struct ProviderHTTP: Sendable {
    let client: HTTPClient
    let timeout: TimeAmount

    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)], body: [UInt8]?) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response: HTTPClientResponse
        do { response = try await client.execute(request, timeout: timeout) } catch { throw GatewayError(status: 0, message: "\(error)") }
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let data = Data(bytes.readableBytesView)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let error = object["error"] as? [String: Any] ?? [:]
            let message = error["message"] as? String ?? error["description"] as? String ?? error["code"] as? String ?? "HTTP \(status)"
            throw GatewayError(status: status, message: message)
        }
        return object
    }

    /// `application/x-www-form-urlencoded`, as Stripe's API takes it.
    static func form(_ fields: [(String, String)]) -> [UInt8] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return Array(fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&").utf8)
    }
}

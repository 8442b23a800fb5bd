import AsyncHTTPClient
import Foundation
import MentorLinkCore
import NIOCore
import NIOHTTP1

extension S3ObjectStore {
    /// The origin (`scheme://host[:port]`) and the unencoded path of `key` in the bucket, or of the bucket for nil.
    func location(of key: String?) -> (origin: String, path: String) {
        if pathStyle { return (endpoint, "/\(bucket)" + (key.map { "/\($0)" } ?? "")) }
        let origin = endpoint.replacingOccurrences(of: "://", with: "://\(bucket).")
        return (origin, "/" + (key ?? ""))
    }

    /// Sends one signed request (the payload hash over `body`) and returns a 2xx answer; any other is thrown as
    /// ``ObjectStoreError`` (see ``failure(_:method:key:)``), as is a transport error.
    func send(
        _ method: HTTPMethod, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [], body: [UInt8] = []
    ) async throws -> HTTPClientResponse {
        let (origin, path) = location(of: key)
        let signed = signer.sign(
            method: method.rawValue, path: path, query: query, headers: [("Host", SigV4Signer.authority(of: origin))] + headers,
            payloadHash: SigV4Signer.sha256Hex(body), at: Int64(Date().timeIntervalSince1970))
        let queryString = query.isEmpty ? "" : "?" + SigV4Signer.canonicalQuery(query)
        var request = HTTPClientRequest(url: origin + SigV4Signer.uriEncode(path, encodeSlash: false) + queryString)
        request.method = method
        for (name, value) in signed { request.headers.add(name: name, value: value) }
        if !body.isEmpty || method == .PUT || method == .POST { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: requestTimeout)
        } catch {
            throw ObjectStoreError.unavailable("S3 \(method) \(path): \(error)")
        }
        guard (200..<300).contains(response.status.code) else { throw await failure(response, method: method, key: key) }
        return response
    }

    /// A non-2xx answer as an error: `404` on an object with `NoSuchKey` (or no body, as for HEAD) is
    /// ``ObjectStoreError/notFound(_:)``; anything else ``ObjectStoreError/unavailable(_:)`` with S3's code and message.
    func failure(_ response: HTTPClientResponse, method: HTTPMethod, key: String?) async -> ObjectStoreError {
        let body = (try? await response.body.collect(upTo: 1 << 16)).map { Array($0.readableBytesView) } ?? []
        let error = S3XML.parse(body)
        let code = error?.child("Code")?.text
        if let key, response.status == .notFound, code == nil || code == "NoSuchKey" { return .notFound(key) }
        let message = error?.child("Message")?.text ?? ""
        return .unavailable("S3 \(method) \(key ?? bucket): \(response.status.code) \(code ?? "") \(message)")
    }

    /// The whole body of `response`, at most `limit` bytes.
    func bytes(of response: HTTPClientResponse, limit: Int = 1 << 20) async throws -> [UInt8] {
        do {
            return Array(try await response.body.collect(upTo: limit).readableBytesView)
        } catch {
            throw ObjectStoreError.unavailable("S3 answer unreadable or over \(limit) bytes: \(error)")
        }
    }

    /// The body of `response` as XML; an `<Error>` document (S3 sends some with 200) is thrown as
    /// ``ObjectStoreError/unavailable(_:)``.
    func xml(_ response: HTTPClientResponse) async throws -> S3XML {
        guard let document = S3XML.parse(try await bytes(of: response)) else { throw ObjectStoreError.unavailable("S3 answered no XML") }
        guard document.name != "Error" else {
            throw ObjectStoreError.unavailable("S3: \(document.child("Code")?.text ?? "") \(document.child("Message")?.text ?? "")")
        }
        return document
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import JSONRPC
import NIOCore

/// `POST /rpc`: JSON only (415 otherwise), body limit (413 with a JSON-RPC error), 204 when nothing is answered.
struct RPCHTTPEndpoint: Sendable {
    let server: WorkerServer

    static let realIP = HTTPField.Name("X-Real-IP")!

    func respond(to request: Request) async throws -> Response {
        let requestId = RequestID.from(request.headers)
        guard Self.isJSON(request.headers[.contentType]) else {
            return Self.reply(status: .unsupportedMediaType, error: .invalidRequest("Content-Type must be application/json", reason: "unsupported_media_type"), requestId: requestId)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: server.configuration.limits.maxBodyBytes)
        } catch {
            let limit = server.configuration.limits.maxBodyBytes
            return Self.reply(status: .contentTooLarge, error: .invalidRequest("Request larger than \(limit) bytes", reason: "body_too_large"), requestId: requestId)
        }
        let credentials = Self.credentials(request.headers)
        let principal: Principal?
        do {
            principal = try await server.authenticator.authenticate(credentials)
        } catch let error as any RPCErrorConvertible {
            return Self.reply(status: .ok, error: error.rpcError, requestId: requestId)
        }
        let context = RPCContext(
            requestId: requestId,
            logger: server.logger,
            principal: principal,
            clientAddress: request.headers[Self.realIP],
            transport: .http,
            credentials: credentials
        )
        let reply = await server.dispatcher.handle(body: body.readableBytesView, context: context)
        var headers: HTTPFields = [RequestID.header: requestId, .cacheControl: "no-store"]
        for cookie in context.response.setCookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        guard let data = reply.body else {
            return Response(status: .noContent, headers: headers)
        }
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Bearer token, cookies and origin of a request.
    static func credentials(_ headers: HTTPFields) -> RequestCredentials {
        var bearer: String?
        if let authorization = headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            bearer = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        let cookieHeader = headers[values: .cookie].joined(separator: "; ")
        return RequestCredentials(
            bearer: bearer,
            cookies: RequestCredentials.parseCookies(cookieHeader.isEmpty ? nil : cookieHeader),
            origin: headers[.origin]
        )
    }

    /// Whether the media type is `application/json` (any case, parameters such as `charset` allowed).
    /// Byte-level on purpose: Foundation's trimming and lower-casing cost 6% of a worker's CPU under load.
    static func isJSON(_ contentType: String?) -> Bool {
        guard var contentType else { return false }
        return contentType.withUTF8 { bytes in
            var start = 0
            while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
            let expected = "application/json".utf8
            guard bytes.count - start >= expected.count else { return false }
            for (offset, byte) in expected.enumerated() where bytes[start + offset] | 0x20 != byte | 0x20 { return false }
            var rest = start + expected.count
            while rest < bytes.count, bytes[rest] == UInt8(ascii: " ") { rest += 1 }
            return rest == bytes.count || bytes[rest] == UInt8(ascii: ";")
        }
    }

    static func reply(status: HTTPResponse.Status, error: RPCError, requestId: String) -> Response {
        let body = RPCResponse(id: .null, outcome: .error(error)).encoded
        return Response(
            status: status,
            headers: [.contentType: "application/json", RequestID.header: requestId],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}

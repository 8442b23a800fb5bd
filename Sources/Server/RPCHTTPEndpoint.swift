import Foundation
import HTTPTypes
import Hummingbird
import JSONRPC
import NIOCore

/// `POST /rpc`: JSON only (415 otherwise), body limit (413 with a JSON-RPC error), 204 when nothing is answered.
struct RPCHTTPEndpoint: Sendable {
    let server: WorkerServer

    func respond(to request: Request) async throws -> Response {
        let requestId = RequestID.from(request.headers)
        guard RequestHead.isJSON(request.headers[.contentType]) else {
            return Self.reply(
                status: .unsupportedMediaType, error: .invalidRequest("Content-Type must be application/json", reason: "unsupported_media_type"),
                requestId: requestId)
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: server.configuration.limits.maxBodyBytes) } catch {
            let limit = server.configuration.limits.maxBodyBytes
            return Self.reply(
                status: .contentTooLarge, error: .invalidRequest("Request larger than \(limit) bytes", reason: "body_too_large"), requestId: requestId
            )
        }
        let credentials = RequestHead.credentials(request.headers)
        let principal: Principal?
        do { principal = try await server.authenticator.authenticate(credentials) } catch let error as any RPCErrorConvertible {
            return Self.reply(status: .ok, error: error.rpcError, requestId: requestId)
        }
        let context = RPCContext(
            requestId: requestId, logger: server.logger, principal: principal, clientAddress: request.headers[RequestHead.realIP], transport: .http,
            credentials: credentials)
        let reply = await server.dispatcher.handle(body: body.readableBytesView, context: context)
        var headers: HTTPFields = [RequestID.header: requestId, .cacheControl: "no-store"]
        for cookie in context.response.setCookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        guard let data = reply.body else { return Response(status: .noContent, headers: headers) }
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func reply(status: HTTPResponse.Status, error: RPCError, requestId: String) -> Response {
        let body = RPCResponse(id: .null, outcome: .error(error)).encoded
        return Response(
            status: status, headers: [.contentType: "application/json", RequestID.header: requestId], body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}

import Foundation
import HTTPTypes
public import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
public import JSONRPC
public import Logging
public import MentorLinkCore
import NIOCore
import NIOPosix

/// One worker: JSON-RPC over `POST /rpc` and `GET /rpc/ws`, plus `/healthz`, `/readyz` and `/metrics`,
/// served on a Unix socket.
public struct WorkerServer: Sendable {
    public let configuration: WorkerConfiguration
    public let dispatcher: RPCDispatcher
    public let authenticator: any Authenticator
    public let healthChecks: [any HealthCheck]
    public let metrics: WorkerMetrics
    public let sessions: WebSocketSessions
    public let webhooks: [Webhook]
    public let uploads: UploadEndpoint?
    public let logger: Logger

    /// Creates a worker.
    public init(
        configuration: WorkerConfiguration, dispatcher: RPCDispatcher, metrics: WorkerMetrics, sessions: WebSocketSessions = WebSocketSessions(),
        authenticator: any Authenticator = AnonymousAuthenticator(), healthChecks: [any HealthCheck] = [], webhooks: [Webhook] = [],
        uploads: UploadEndpoint? = nil, logger: Logger
    ) {
        self.uploads = uploads
        self.configuration = configuration
        self.dispatcher = dispatcher
        self.metrics = metrics
        self.sessions = sessions
        self.authenticator = authenticator
        self.healthChecks = healthChecks
        self.webhooks = webhooks
        self.logger = logger
    }

    /// The Hummingbird application; run it (and ``sessions`` after it) in a `ServiceGroup`.
    ///
    /// `onListening` runs once the socket accepts connections (after bind and listen, with its permissions set): the
    /// readiness signal, since the socket file exists from bind on, before connections are accepted.
    public func makeApplication(onListening: @escaping @Sendable () -> Void = {}) throws -> some ApplicationProtocol {
        try UnixSocket.prepare(path: configuration.socketPath)
        let router = Router(context: BasicRequestContext.self)
        let rpc = RPCHTTPEndpoint(server: self)
        router.post("/rpc") { request, _ in try await rpc.respond(to: request) }
        router.get("/rpc/ws") { _, _ in
            Response(
                status: .badRequest, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: "WebSocket upgrade required\n")))
        }
        for webhook in webhooks {
            let limit = configuration.limits.maxBodyBytes
            router.post("/webhooks/\(webhook.name)") { request, _ in
                let body = try await request.body.collect(upTo: limit)
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                let (status, text) = await webhook.handle(headers, Array(body.readableBytesView), headers["x-request-id"])
                return Response(
                    status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
        if let uploads { mount(uploads, on: router) }
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ in await self.readiness() }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: self.metrics.render())))
        }
        let metrics = self.metrics
        let socketPath = configuration.socketPath
        let socketGroup = configuration.socketGroup
        let webSocket = RPCWebSocketEndpoint(server: self)
        return Application(
            router: router,
            // `.http1WebSocketUpgrade`'s channel, each connection with a DrainGuard: Hummingbird alone leaves a request that
            // arrives as the graceful shutdown begins unanswered.
            server: HTTPServerBuilder { responder in
                DrainGuardedChannel(
                    base: HTTP1WebSocketUpgradeChannel(
                        responder: responder,
                        configuration: .init(
                            http1: .init(additionalChannelHandlers: [ConnectionCounter(metrics: metrics)], idleTimeout: .seconds(75)),
                            ws: .init(maxFrameSize: configuration.maxWebSocketMessageBytes, autoPing: .enabled(timePeriod: .seconds(30))))
                    ) { head, _, _ in webSocket.shouldUpgrade(head) })
            }, configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: nil),
            onServerRunning: { _ in
                UnixSocket.restrict(path: socketPath, group: socketGroup)
                onListening()
            }, logger: logger)
    }

    /// Routes `/uploads/` and `/uploads/<id>` to `endpoint`.
    func mount(_ endpoint: UploadEndpoint, on router: Router<BasicRequestContext>) {
        let serve: @Sendable (Request, String?) async throws -> Response = { request, id in
            let requestId = RequestID.from(request.headers)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            var credentials = RequestHead.credentials(request.headers)
            credentials.safeRequest = request.method == .head
            let principal: Principal?
            do { principal = try await self.authenticator.authenticate(credentials) } catch {
                // The revocation list cannot be asked (Redis down): retryable, not "signed out".
                let text = #"{"error":{"reason":"unavailable","message":"Try again shortly"}}"#
                return Response(
                    status: .serviceUnavailable,
                    headers: [
                        .contentType: "application/json", .retryAfter: "1", RequestID.header: requestId, HTTPField.Name("Tus-Resumable")!: "1.0.0",
                    ],
                    body: .init(byteBuffer: ByteBuffer(string: text)))
            }
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: endpoint.maxBodyBytes) } catch {
                let text = #"{"error":{"reason":"too_large","message":"At most \#(endpoint.maxBodyBytes) bytes per request"}}"#
                return Response(
                    status: .contentTooLarge,
                    headers: [.contentType: "application/json", RequestID.header: requestId, HTTPField.Name("Tus-Resumable")!: "1.0.0"],
                    body: .init(byteBuffer: ByteBuffer(string: text)))
            }
            let answer = await endpoint.handle(
                UploadEndpoint.Request(
                    method: request.method.rawValue, uploadId: id, headers: headers, body: Array(body.readableBytesView), principal: principal,
                    clientAddress: request.headers[RequestHead.realIP], requestId: requestId))
            var fields: HTTPFields = [RequestID.header: requestId]
            for (name, value) in answer.headers { if let field = HTTPField.Name(name) { fields[field] = value } }
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        for method in [HTTPRequest.Method.post, .options] {
            // Also `/uploads/`: the router ignores a trailing slash.
            router.on("/uploads", method: method) { request, _ in try await serve(request, nil) }
        }
        for method in [HTTPRequest.Method.head, .patch, .delete, .options, .post] {
            router.on("/uploads/:id", method: method) { request, context in try await serve(request, context.parameters.get("id")) }
        }
    }

    func readiness() async -> Response {
        var report: [String: JSONValue] = [:]
        var ready = true
        await withTaskGroup(of: (String, String?).self) { group in
            for check in healthChecks {
                group.addTask {
                    do {
                        try await withTimeout(.seconds(2)) { try await check.check() }
                        return (check.name, nil)
                    } catch { return (check.name, String(describing: error)) }
                }
            }
            for await (name, failure) in group {
                report[name] = .string(failure == nil ? "ok" : "down")
                if let failure {
                    ready = false
                    logger.warning("readyz.dependency_down", metadata: ["dependency": .string(name), "error": .string(failure)])
                }
            }
        }
        let body = JSONValue.object(["ready": .bool(ready), "checks": .object(report)]).encoded()
        return Response(
            status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Runs `body`, failing with a timeout error after `limit`.
func withTimeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw TimeoutError()
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

struct TimeoutError: Error, CustomStringConvertible { var description: String { "timed out" } }

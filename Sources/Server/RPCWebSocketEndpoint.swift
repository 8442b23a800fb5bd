import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import JSONRPC
import Logging
import NIOCore
import NIOWebSocket

/// `GET /rpc/ws`: each text message is a JSON-RPC call or batch, answered on the same socket.
///
/// Upgrades are refused while draining and for browser origins outside the allow-list; a binary message or one
/// over the size limit closes the socket with 1003 / 1009.
struct RPCWebSocketEndpoint: Sendable {
    let server: WorkerServer

    func shouldUpgrade(_ head: HTTPRequest) -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        guard head.path?.split(separator: "?").first == "/rpc/ws", server.sessions.isAccepting else { return .dontUpgrade }
        if let origin = head.headerFields[.origin], !server.configuration.allowedOrigins.contains(origin) {
            server.logger.notice("ws.origin_refused", metadata: ["origin": .string(origin)])
            return .dontUpgrade
        }
        let requestId = RequestID.from(head.headerFields)
        let headers = head.headerFields
        return .upgrade([RequestID.header: requestId]) { inbound, outbound, _ in
            try await self.serve(inbound: inbound, outbound: outbound, headers: headers, requestId: requestId)
        }
    }

    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, headers: HTTPFields, requestId: String) async throws {
        guard let id = server.sessions.add(outbound) else {
            try await outbound.close(.goingAway, reason: "server shutting down")
            return
        }
        server.metrics.webSocketConnection(1)
        defer {
            server.sessions.remove(id)
            server.metrics.webSocketConnection(-1)
        }
        let credentials = RequestHead.credentials(headers)
        // Credentials that cannot be checked now (the revocation list is away) end the socket with 1011 at once:
        // the client reconnects later, rather than going on as anonymous.
        let principal: Principal?
        do { principal = try await server.authenticator.authenticate(credentials) } catch {
            try await outbound.close(.unexpectedServerError, reason: "try again later")
            return
        }
        var logger = server.logger
        logger[metadataKey: "ws.id"] = .string(requestId)
        let session = WebSocketSession(
            id: requestId, limit: server.configuration.maxQueuedWebSocketMessages, byteLimit: server.configuration.maxQueuedWebSocketBytes)
        let writerLogger = logger
        defer { session.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            // One writer: replies and pushed notifications leave in order.
            group.addTask {
                if try await session.writeAll(to: outbound) {
                    writerLogger.notice("ws.slow_consumer_closed")
                    try await outbound.close(.policyViolation, reason: "too slow: outbound queue full")
                }
            }
            // The credentials are checked again every few seconds, also when the client only listens: a revoked
            // session silences the socket at once and closes it with 1008, so its pushes stop within seconds. While
            // they cannot be checked (the revocation list is away) the socket lives on for a grace period, then
            // closes with 1011; a short outage of Redis does not drop every listener.
            if principal != nil {
                let interval = server.configuration.credentialRecheckInterval
                let authenticator = server.authenticator
                let grace = server.configuration.credentialUncheckedGrace
                group.addTask {
                    var lastChecked = ContinuousClock.now
                    while true {
                        try await Task.sleep(for: interval)
                        let caller: Principal?
                        do { caller = try await authenticator.authenticate(credentials) } catch {
                            guard ContinuousClock.now - lastChecked > grace else { continue }
                            writerLogger.notice("ws.credentials_unverifiable")
                            session.close()
                            try await outbound.close(.unexpectedServerError, reason: "credentials cannot be checked; try again later")
                            return
                        }
                        lastChecked = .now
                        if caller == nil {
                            writerLogger.notice("ws.credentials_revoked")
                            session.close()
                            try await outbound.close(.policyViolation, reason: "credentials expired or revoked")
                            return
                        }
                    }
                }
            }
            defer {
                session.close()
                group.cancelAll()
            }
            for try await message in inbound.messages(maxSize: server.configuration.maxWebSocketMessageBytes) {
                guard case .text(let text) = message else {
                    try await outbound.close(.unacceptableData, reason: "text frames only")
                    return
                }
                // The credentials are checked again on every message: an access token that expired or a session
                // that was revoked (logout, password change) ends the socket instead of living on with it.
                // Credentials that cannot be checked now close the socket with 1011 (try again later), as at the
                // handshake: answering each call without its id would leave the client's calls unmatched.
                var caller = principal
                if caller != nil {
                    do { caller = try await server.authenticator.authenticate(credentials) } catch {
                        session.close()
                        try await outbound.close(.unexpectedServerError, reason: "credentials cannot be checked; try again later")
                        return
                    }
                    if caller == nil {
                        session.close()
                        try await outbound.close(.policyViolation, reason: "credentials expired or revoked")
                        return
                    }
                }
                let context = RPCContext(
                    requestId: RequestID.make(), logger: logger, principal: caller, clientAddress: headers[RequestHead.realIP], transport: .webSocket,
                    credentials: credentials, session: session)
                let reply = await server.dispatcher.handle(body: Array(text.utf8), context: context)
                if let body = reply.body, !session.push(String(decoding: body, as: UTF8.self)) { break }
                if session.overflowed { break }
            }
            // A client that fell behind: let the writer close the socket with 1008 before leaving.
            // A client that reads nothing at all cannot take the close frame either: it is cut off after 5 s.
            if session.overflowed {
                group.addTask { try await Task.sleep(for: .seconds(5)) }
                _ = try await group.next()
            }
        }
    }
}

import HTTPTypes
import JSONRPC
import Logging
import NIOCore
import NIOHTTP1

/// Answers, or closes, a connection whose first request arrives once the worker drains.
///
/// Hummingbird (2.28) loses such a connection in two ways. Accepted as the listening socket closes, it is set up but
/// never handed to a request handler (its setup finished after the server's stream of connections ended), and mostly
/// never even registered: the client waits until the process exits. Accepted just before, it is told to quiesce before
/// its first request, when the WebSocket-upgrade pipeline has not yet added the HTTP state handler that acts on it: the
/// request is answered, but the connection stays open and the shutdown waits for it (up to the 75 s idle timeout,
/// beyond the supervisor's drain deadline).
///
/// Placed right after the HTTP decoder of every accepted connection, it passes the first request head on and removes
/// itself while the worker is not draining: from then on Hummingbird's own quiescing applies. Once the drain began
/// (the quiesce event, or the listening socket already closed), the first request is refused with 503 `unavailable`
/// (its handler never ran: safe to retry), `Retry-After: 1` and `Connection: close`, and the connection closed once
/// the request was read; a connection without a request is closed `grace` after the drain began.
final class DrainGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Not draining and no request yet.
        case serving
        /// Draining, no request yet; closing at the deadline.
        case draining
        /// The first request since the drain was answered 503; closing once it was read to its end.
        case refusing(requestEnded: Bool, answerWritten: Bool)
        /// The connection is being closed.
        case closing
    }

    private var state = State.serving
    private var deadline: Scheduled<Void>?
    private let grace: TimeAmount
    private let logger: Logger

    /// Creates a guard that closes a draining connection that got no request `grace` after the drain began.
    init(grace: TimeAmount = .milliseconds(250), logger: Logger) {
        self.grace = grace
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // The quiesce event may have come before this handler existed.
        if context.channel.parent?.isActive == false { drainBegan(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch (state, event) {
        case (_, is ChannelShouldQuiesceEvent):
            drainBegan(context: context)
        case (.refusing(_, let answerWritten), let event as ChannelEvent) where event == .inputClosed:
            // The client sent all it will: close once the answer is out (the upgrade handler would close at once).
            state = .refusing(requestEnded: true, answerWritten: answerWritten)
            if answerWritten { finish(context: context) }
            return
        default:
            break
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = Self.unwrapInboundIn(data)
        switch (state, part) {
        case (.serving, .head) where context.channel.parent?.isActive != false:
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        case (.serving, .head(let head)), (.draining, .head(let head)):
            refuse(head, context: context)
        case (.refusing(_, let answerWritten), .end):
            state = .refusing(requestEnded: true, answerWritten: answerWritten)
            if answerWritten { finish(context: context) }
        case (.serving, _):
            context.fireChannelRead(data)
        case (.draining, _), (.refusing, _), (.closing, _):
            break  // the refused request's body, or what follows it
        }
    }

    private func drainBegan(context: ChannelHandlerContext) {
        guard case .serving = state else { return }
        state = .draining
        scheduleDeadline(context: context)
    }

    private func scheduleDeadline(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: grace) { [self] in
            deadline = nil
            finish(context: context)
        }
    }

    private func refuse(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        state = .refusing(requestEnded: false, answerWritten: false)
        scheduleDeadline(context: context)
        var given = HTTPFields()
        if let id = head.headers.first(name: RequestID.header.rawName) { given[RequestID.header] = id }
        let requestId = RequestID.from(given)
        logger.notice(
            "http.refused_draining",
            metadata: [
                "http.method": .string(head.method.rawValue), "http.path": .string(String(head.uri.prefix { $0 != "?" })),
                "request.id": .string(requestId),
            ])
        let body = RPCResponse(id: .null, outcome: .error(.unavailable("worker"))).encoded
        let headers = HTTPHeaders([
            ("Content-Type", "application/json"), ("Content-Length", String(body.count)), ("Retry-After", "1"), ("Connection", "close"),
            ("Cache-Control", "no-store"), (RequestID.header.rawName, requestId),
        ])
        context.write(
            Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .serviceUnavailable, headers: headers))), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { [self] _ in
            guard case .refusing(let requestEnded, _) = state else { return }
            state = .refusing(requestEnded: requestEnded, answerWritten: true)
            if requestEnded { finish(context: context) }
        }
    }

    /// Closes the connection. Hummingbird's upgrade handler, still waiting for the first request (it never saw it),
    /// first hears that none is coming: it then ends its task quietly, where a close under it is logged as an error.
    private func finish(context: ChannelHandlerContext) {
        if case .closing = state { return }
        state = .closing
        deadline?.cancel()
        deadline = nil
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        context.close(promise: nil)
    }
}

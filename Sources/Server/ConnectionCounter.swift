import NIOCore

/// Counts open connections: added to each accepted channel, it decrements when the channel closes,
/// even after a WebSocket upgrade removed the HTTP handlers.
final class ConnectionCounter: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny
    let metrics: WorkerMetrics

    init(metrics: WorkerMetrics) { self.metrics = metrics }

    func handlerAdded(context: ChannelHandlerContext) {
        metrics.httpConnection(1)
        let metrics = self.metrics
        context.channel.closeFuture.whenComplete { _ in metrics.httpConnection(-1) }
    }
}

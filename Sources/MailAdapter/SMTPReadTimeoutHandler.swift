import NIOCore

/// Turns ``IdleStateHandler``'s read-idle event into ``EmailError/timedOut`` and closes the connection, so a server
/// that stops answering ends the transaction instead of holding it open.
final class SMTPReadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        context.fireErrorCaught(EmailError.timedOut)
        context.close(promise: nil)
    }
}

import NIOCore

/// Splits the SMTP server's bytes into reply lines (without their CRLF; a bare LF ends a line too). Framing only: the
/// conversation is ``SMTPMailer``'s async code. A line past ``maxLineLength`` is an error rather than a growing buffer.
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    /// Longest reply line accepted (RFC 5321 §4.5.3.1.5 allows 512 octets with the CRLF).
    static let maxLineLength = 4096

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            guard view.count <= Self.maxLineLength else { throw EmailError.replyTooLong }
            return .needMoreData
        }
        let length = newline - view.startIndex
        guard length <= Self.maxLineLength, var line = buffer.readBytes(length: length) else { throw EmailError.replyTooLong }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        context.fireChannelRead(Self.wrapInboundOut(String(decoding: line, as: UTF8.self)))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}

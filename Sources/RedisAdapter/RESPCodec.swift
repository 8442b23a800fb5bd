import CHiredis
import NIOCore

/// Formats commands with hiredis's `redisFormatCommandArgv`.
///
/// Every argument goes over as bytes with its length (binary-safe: a NUL or any byte stays in its argument); the
/// bytes of all arguments are laid out in one buffer and `argv` points into it, so no C-string copy can cut one short.
enum RESPFormatter {
    static func format(_ arguments: [String], into buffer: inout ByteBuffer) {
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int] = []
        for argument in arguments {
            offsets.append(bytes.count)
            bytes.append(contentsOf: argument.utf8)
            lengths.append(bytes.count - (offsets.last ?? 0))
        }
        bytes.append(0)  // never empty, so the base address exists even for zero-length arguments
        var target: UnsafeMutablePointer<CChar>? = nil
        let length = bytes.withUnsafeBufferPointer { raw -> Int in
            guard let base = raw.baseAddress else { return -1 }
            let start = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            var argv: [UnsafePointer<CChar>?] = offsets.map { start + $0 }
            return Int(redisFormatCommandArgv(&target, Int32(arguments.count), &argv, lengths))
        }
        guard let target, length > 0 else { return }
        defer { redisFreeCommand(target) }
        target.withMemoryRebound(to: UInt8.self, capacity: length) { buffer.writeBytes(UnsafeBufferPointer(start: $0, count: length)) }
    }
}

/// Parses replies with hiredis's `redisReader`, fed from the NIO byte stream.
final class RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RedisValue
    private let reader: UnsafeMutablePointer<redisReader>

    init() { reader = redisReaderCreate() }

    deinit { redisReaderFree(reader) }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if buffer.readableBytes > 0 {
            let status = buffer.readWithUnsafeReadableBytes { raw -> (Int, Int32) in
                let status = redisReaderFeed(reader, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
                return (raw.count, status)
            }
            guard status == REDIS_OK else { throw RedisAdapterError.protocolError("feed failed") }
        }
        while true {
            var reply: UnsafeMutableRawPointer? = nil
            guard redisReaderGetReply(reader, &reply) == REDIS_OK else { throw RedisAdapterError.protocolError("malformed reply") }
            guard let reply else { return .needMoreData }
            let value = Self.convert(reply.assumingMemoryBound(to: redisReply.self))
            freeReplyObject(reply)
            context.fireChannelRead(wrapInboundOut(value))
        }
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let node = reply.pointee
        func bytes() -> [UInt8] {
            guard let str = node.str else { return [] }
            return str.withMemoryRebound(to: UInt8.self, capacity: node.len) { Array(UnsafeBufferPointer(start: $0, count: node.len)) }
        }
        switch node.type {
        case REDIS_REPLY_STRING: return .bulk(bytes())
        case REDIS_REPLY_STATUS: return .simpleString(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_ERROR: return .error(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_INTEGER: return .integer(node.integer)
        case REDIS_REPLY_NIL: return .bulk(nil)
        case REDIS_REPLY_ARRAY:
            var items: [RedisValue] = []
            items.reserveCapacity(node.elements)
            for index in 0..<node.elements { if let element = node.element[index] { items.append(convert(element)) } }
            return .array(items)
        default: return .bulk(nil)
        }
    }
}

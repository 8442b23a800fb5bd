/// A Redis reply (RESP2).
public enum RedisValue: Sendable, Hashable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    /// A bulk string; `nil` is Redis's null bulk.
    case bulk([UInt8]?)
    /// An array; `nil` is Redis's null array.
    case array([RedisValue]?)

    /// The value as text when it is a string of either kind.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulk(let bytes?): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The value as an integer when it is one.
    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }
}

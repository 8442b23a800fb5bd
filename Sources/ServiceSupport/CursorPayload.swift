public import Foundation

/// The fields of a cursor as bytes: written in order, read back in the same order. Reading past the end or a
/// malformed field gives `nil`, never a trap.
public struct CursorPayload: Sendable, Hashable {
    /// The encoded fields.
    public private(set) var bytes: [UInt8]
    private var position = 0

    /// An empty payload, to append fields to.
    public init() { bytes = [] }

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Appends a big-endian 64-bit integer.
    public mutating func append(_ value: Int64) { bytes += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: value) >> (56 - 8 * $0)) } }

    /// Appends a double by its bit pattern.
    public mutating func append(_ value: Double) { append(Int64(bitPattern: value.bitPattern)) }

    /// Appends a UUID's 16 bytes.
    public mutating func append(_ value: UUID) {
        let u = value.uuid
        bytes += [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15]
    }

    /// Appends a flag.
    public mutating func append(_ value: Bool) { bytes.append(value ? 1 : 0) }

    private mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count - position >= count else { return nil }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// Reads the next 64-bit integer.
    public mutating func readInt64() -> Int64? { take(8).map { slice in Int64(bitPattern: slice.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) } }

    /// Reads the next double; `nil` when it is not finite.
    public mutating func readDouble() -> Double? {
        guard let bits = readInt64() else { return nil }
        let value = Double(bitPattern: UInt64(bitPattern: bits))
        return value.isFinite ? value : nil
    }

    /// Reads the next UUID.
    public mutating func readUUID() -> UUID? {
        guard let s = take(16).map(Array.init) else { return nil }
        return UUID(uuid: (s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], s[12], s[13], s[14], s[15]))
    }

    /// Reads the next flag; `nil` for a byte other than 0 or 1.
    public mutating func readBool() -> Bool? {
        switch take(1)?.first {
        case 0: false
        case 1: true
        default: nil
        }
    }

    /// Whether every byte was read (a payload with bytes left over is not the expected shape).
    public var isAtEnd: Bool { position == bytes.count }
}

public import HTTPTypes

/// Request ids: nginx's `X-Request-Id` when it is sane, otherwise a fresh random one.
public enum RequestID {
    /// The header nginx sets.
    public static let header = HTTPField.Name("X-Request-Id")!

    /// The id to use for a request with these headers.
    public static func from(_ headers: HTTPFields) -> String {
        if let given = headers[header], (1...128).contains(given.utf8.count),
            given.utf8.allSatisfy({
                $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
            })
        {
            return given
        }
        return make()
    }

    /// A fresh 128-bit id in hex.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}

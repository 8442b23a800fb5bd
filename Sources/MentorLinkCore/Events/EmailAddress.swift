/// A mailbox address that is safe in an SMTP envelope (`MAIL FROM:<…>`, `RCPT TO:<…>`) and in a header: ASCII only,
/// exactly one `@`, a dot-atom local part of RFC 5322 `atext` (at most 64 bytes), a domain of LDH labels (each 1–63,
/// at most 253 in all), at most 254 in all (RFC 5321's path limit). No control characters, spaces, quotes, `<`, `>`
/// or `,` can get in, so an address can never end a command or a header early. Anything else is refused rather than
/// repaired: a quoted local part or an address-literal is legal but never needed here.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address as given (checked).
    public let value: String

    /// Longest address accepted (RFC 5321 §4.5.3.1.3: a 256-byte path, with the angle brackets).
    public static let maxLength = 254
    static let maxLocalLength = 64
    static let maxDomainLength = 253
    static let maxLabelLength = 63

    /// The address, or `nil` when it is not a plain `local@domain` address.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard (3...Self.maxLength).contains(bytes.count), bytes.allSatisfy({ $0 >= 0x21 && $0 < 0x7F }) else { return nil }
        let parts = bytes.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isDotAtom(parts[0]), Self.isDomain(parts[1]) else { return nil }
        value = text
    }

    public var description: String { value }

    /// RFC 5322 `dot-atom-text`: atext runs joined by single dots.
    static func isDotAtom(_ local: ArraySlice<UInt8>) -> Bool {
        guard (1...maxLocalLength).contains(local.count) else { return false }
        let atoms = local.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return atoms.allSatisfy { !$0.isEmpty && $0.allSatisfy(isAtext) }
    }

    /// Letters, digits and hyphens per label, no label starting or ending with a hyphen.
    static func isDomain(_ domain: ArraySlice<UInt8>) -> Bool {
        guard (1...maxDomainLength).contains(domain.count) else { return false }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard (1...maxLabelLength).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            return label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// An ASCII letter or digit (also what message ids and MIME tokens are made of, with `.`, `-`, `_`).
    public static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// RFC 5322 `atext`.
    static func isAtext(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(byte) }
}

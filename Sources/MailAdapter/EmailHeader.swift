import Foundation
import MentorLinkCore

/// The one place header values are made: every header of a message goes through ``line(_:_:)``, which refuses a value
/// with CR, LF or another control character (``EmailError/unsafeHeader(_:)``) and one past RFC 5322's 998-byte line
/// limit. Text that comes from users is encoded before it gets there: a display name as a quoted-string (printable
/// ASCII) or as RFC 2047 encoded-words (UTF-8, base64), with its control characters replaced by spaces.
enum EmailHeader {
    /// Who every message is from.
    static let sender = EmailMailbox(name: "MentorLink", address: EmailAddress("no-reply@mentorlink.local")!)

    /// Longest display name written (in characters); longer names are cut.
    static let maxNameLength = 64

    /// `Name: value`, or an error when the value could break out of its header.
    static func line(_ name: String, _ value: String) throws(EmailError) -> String {
        let line = "\(name): \(value)"
        guard line.utf8.count <= 998, !line.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\t" }) else {
            throw .unsafeHeader(name)
        }
        return line
    }

    /// A mailbox: `"Display Name" <local@domain>` (or the bare address when the name is empty).
    static func mailbox(_ mailbox: EmailMailbox) -> String {
        let name = phrase(mailbox.name)
        return name.isEmpty ? "<\(mailbox.address.value)>" : "\(name) <\(mailbox.address.value)>"
    }

    /// A display name as an RFC 5322 phrase: controls become spaces, runs of spaces collapse, the result is cut to
    /// ``maxNameLength`` characters; printable ASCII goes into a quoted-string, anything else into encoded-words.
    static func phrase(_ name: String) -> String {
        let cleaned = String(String.UnicodeScalarView(name.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 })).split(
            separator: " "
        ).joined(separator: " ")
        let cut = String(cleaned.prefix(maxNameLength))
        if cut.isEmpty { return "" }
        if cut.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return "\"" + cut.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return encodedWords(cut)
    }

    /// Unstructured text (a subject): as is when printable ASCII, else encoded-words; text with a control character is
    /// refused (it is ours, not a user's, so a control in it is a bug or an injection).
    static func text(_ name: String, _ text: String) throws(EmailError) -> String {
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { throw .unsafeHeader(name) }
        return text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) ? text : encodedWords(text)
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters each, never splitting a code point, separated by spaces.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            // 45 bytes → 60 base64 characters, + 12 for `=?UTF-8?B?` and `?=`: 72 ≤ 75.
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: " ")
    }

    private static func word(_ bytes: [UInt8]) -> String { "=?UTF-8?B?\(Data(bytes).base64EncodedString())?=" }

    /// A `msg-id`'s or MIME token's characters: letters, digits, `.`, `-`, `_`.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy {
                EmailAddress.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
            }
    }

    /// A URL for `<…>` in a header: printable ASCII without spaces, quotes or angle brackets.
    static func isHeaderURL(_ url: String) -> Bool {
        !url.isEmpty
            && url.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") && $0 != UInt8(ascii: "\"") }
    }

    /// RFC 5322 date-time: `Tue, 01 Dec 2026 19:50:58 +0000`.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}

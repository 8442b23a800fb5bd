/// Splits a migration file into statements, because PostgresNIO speaks only the extended protocol (one statement
/// per query). Understands `--` and `/* */` comments, quoted strings and identifiers, and `$tag$` bodies.
public enum SQLScript {
    /// The statements of `text`, without their terminating semicolons; blank statements are dropped.
    public static func statements(in text: String) -> [String] {
        let chars = Array(text.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0

        func flush() {
            let statement = String(current).trimmingWhitespace()
            if !statement.isEmpty, !isOnlyComments(statement) { statements.append(statement) }
            current = String.UnicodeScalarView()
        }

        while index < chars.count {
            let char = chars[index]
            let next: Unicode.Scalar? = index + 1 < chars.count ? chars[index + 1] : nil
            if char == "-", next == "-" {
                while index < chars.count, chars[index] != "\n" {
                    current.append(chars[index])
                    index += 1
                }
                continue
            }
            if char == "/", next == "*" {
                while index < chars.count, !(chars[index] == "*" && index + 1 < chars.count && chars[index + 1] == "/") {
                    current.append(chars[index])
                    index += 1
                }
                if index < chars.count {
                    current.append(contentsOf: ["*", "/"])
                    index += 2
                }
                continue
            }
            if char == "'" || char == "\"" {
                current.append(char)
                index += 1
                while index < chars.count {
                    current.append(chars[index])
                    if chars[index] == char {
                        if index + 1 < chars.count, chars[index + 1] == char {
                            current.append(char)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    index += 1
                }
                continue
            }
            if char == "$", let tag = dollarTag(chars, at: index) {
                current.append(contentsOf: tag)
                index += tag.count
                while index < chars.count, !matches(chars, tag, at: index) {
                    current.append(chars[index])
                    index += 1
                }
                if index < chars.count {
                    current.append(contentsOf: tag)
                    index += tag.count
                }
                continue
            }
            if char == ";" {
                flush()
                index += 1
                continue
            }
            current.append(char)
            index += 1
        }
        flush()
        return statements
    }

    /// `$tag$` or `$$` starting at `index`.
    static func dollarTag(_ chars: [Unicode.Scalar], at index: Int) -> [Unicode.Scalar]? {
        var end = index + 1
        while end < chars.count,
            chars[end] == "_" || chars[end].properties.isAlphabetic || (chars[end].properties.numericType != nil && end > index + 1)
        { end += 1 }
        guard end < chars.count, chars[end] == "$" else { return nil }
        return Array(chars[index...end])
    }

    static func matches(_ chars: [Unicode.Scalar], _ tag: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + tag.count <= chars.count else { return false }
        return Array(chars[index..<index + tag.count]) == tag
    }

    static func isOnlyComments(_ statement: String) -> Bool {
        statement.split(separator: "\n").allSatisfy { $0.trimmingWhitespace().isEmpty || $0.trimmingWhitespace().hasPrefix("--") }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[first...last])
        return String(view)
    }
}

/// A byte scanner that measures how deeply arrays and objects nest, without parsing.
///
/// It runs before the real parser so that a hostile document (`[[[[…`) cannot exhaust the stack.
enum JSONDepth {
    /// The deepest nesting of `[`/`{` outside strings; stops early once `limit` is exceeded.
    static func maximumDepth(of bytes: some Collection<UInt8>, stoppingAbove limit: Int) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > deepest {
                    deepest = depth
                    if deepest > limit { return deepest }
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }
}

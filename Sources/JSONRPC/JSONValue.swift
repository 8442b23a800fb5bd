public import Foundation

/// A JSON document as a value: what the envelope parser works on before a method's typed params are decoded.
///
/// Integers and fractional numbers are kept apart so that an id such as `1` is echoed as `1`, not `1.0`.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The object's members, or `nil` when this is not an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// A short name of the JSON type, used in error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// Parses UTF-8 JSON text with ``JSONParser``. Nesting deeper than `maxDepth` is refused.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int) throws(RPCError) -> JSONValue {
        let result: Result<JSONValue, JSONParser.Failure> =
            bytes.withContiguousStorageIfAvailable { buffer in parse(buffer, maxDepth: maxDepth) }
            ?? Array(bytes).withUnsafeBufferPointer { buffer in parse(buffer, maxDepth: maxDepth) }
        switch result {
        case .success(let value): return value
        case .failure(let failure) where failure.tooDeep:
            throw RPCError.invalidRequest("JSON nesting deeper than \(maxDepth) levels", reason: "nesting_too_deep")
        case .failure: throw RPCError.parseError()
        }
    }

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> Result<JSONValue, JSONParser.Failure> {
        var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
        do { return .success(try parser.parseDocument()) } catch { return .failure(error) }
    }

    /// Parses with Foundation's `JSONDecoder` (the previous implementation, kept for `scripts/bench json`).
    public static func parseWithFoundation(_ bytes: some Collection<UInt8>, maxDepth: Int) throws(RPCError) -> JSONValue {
        guard JSONDepth.maximumDepth(of: bytes, stoppingAbove: maxDepth) <= maxDepth else {
            throw RPCError.invalidRequest("JSON nesting deeper than \(maxDepth) levels", reason: "nesting_too_deep")
        }
        do { return try JSONCoding.decoder.decode(JSONValue.self, from: Data(bytes)) } catch { throw RPCError.parseError() }
    }

    /// Encodes this value as compact JSON (object keys sorted).
    public func encoded() -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(into: &out)
        return Data(out)
    }

    /// Appends the compact JSON of this value.
    public func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .double(let value): out.append(contentsOf: (value.isFinite ? value.description : "null").utf8)
        case .string(let value): Self.writeString(value, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            // Names in the order of their UTF-8 bytes: a total order on distinct names (the parser refuses two names
            // that are canonically equivalent). String's own `<` is not one here: for "e\u{301}" and "é`" it gave either
            // order depending on the dictionary's (per-process random) iteration order, so the same value encoded two
            // ways (found by FuzzJSONParser once it had coverage feedback).
            let ordered = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in ordered.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                ])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// The shared encoder and decoder, configured once.
enum JSONCoding {
    static let decoder: JSONDecoder = JSONDecoder()
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()
}

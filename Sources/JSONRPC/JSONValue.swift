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
    /// Parses UTF-8 JSON text. Nesting deeper than `maxDepth` is refused before the parser sees it.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int) throws(RPCError) -> JSONValue {
        guard JSONDepth.maximumDepth(of: bytes, stoppingAbove: maxDepth) <= maxDepth else {
            throw RPCError.invalidRequest("JSON nesting deeper than \(maxDepth) levels", reason: "nesting_too_deep")
        }
        do {
            return try JSONCoding.decoder.decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw RPCError.parseError()
        }
    }

    /// Encodes this value as compact JSON.
    public func encoded() -> Data {
        (try? JSONCoding.encoder.encode(self)) ?? Data("null".utf8)
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

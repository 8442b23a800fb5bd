import Foundation

/// Derives a ``JSONSchema`` from a `Decodable` type by running its `init(from:)` against a recording decoder.
///
/// Every key the type asks for becomes a property (`decodeIfPresent` makes it optional), so the schema cannot
/// drift from the type. Types whose decoding needs a specific value (enums) conform to ``SchemaProviding``.
public enum SchemaRecorder {
    /// The schema of `type`.
    public static func schema<T: Decodable>(for type: T.Type) -> JSONSchema { (try? record(type, depth: 0).schema) ?? .any }

    static func record<T: Decodable>(_ type: T.Type, depth: Int) throws -> (schema: JSONSchema, value: T) {
        if let provider = type as? any SchemaProviding.Type { return (provider.jsonSchema, provider.schemaPlaceholder as! T) }
        if let primitive = primitive(type) { return primitive }
        if let dictionary = type as? any StringKeyedDictionary.Type {
            return (.dictionary(dictionary.valueSchema(depth: depth + 1)), dictionary.empty as! T)
        }
        guard depth < 16 else { throw RecordingFailed() }
        let decoder = RecordingDecoder(depth: depth)
        let value = try T(from: decoder)
        return (decoder.storage.schema, value)
    }

    private static func primitive<T>(_ type: T.Type) -> (schema: JSONSchema, value: T)? {
        switch type {
        case is JSONValue.Type: return (.any, JSONValue.null as! T)
        case is String.Type: return (.string, "" as! T)
        case is Bool.Type: return (.boolean, false as! T)
        case is UUID.Type: return (.string, UUID() as! T)
        case let integer as any FixedWidthInteger.Type: return (.integer, zero(integer) as! T)
        case let float as any BinaryFloatingPoint.Type: return (.number, zero(float) as! T)
        default: return nil
        }
    }

    private static func zero<N: Numeric>(_ type: N.Type) -> N { 0 }

    struct RecordingFailed: Error {}
}

/// Dictionaries keyed by strings describe themselves as `additionalProperties`.
protocol StringKeyedDictionary {
    static func valueSchema(depth: Int) -> JSONSchema
    static var empty: Self { get }
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Decodable {
    static func valueSchema(depth: Int) -> JSONSchema { (try? SchemaRecorder.record(Value.self, depth: depth).schema) ?? .any }
    static var empty: Self { [:] }
}

/// What the type under inspection asked the decoder for.
final class RecordingStorage {
    var properties: [JSONSchema.Property] = []
    var element: JSONSchema?
    var single: JSONSchema?

    var schema: JSONSchema {
        if let single { return single }
        if let element { return .array(element) }
        return .object(properties)
    }
}

final class RecordingDecoder: Decoder {
    let depth: Int
    let storage = RecordingStorage()
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(depth: Int) { self.depth = depth }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedRecorder<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { UnkeyedRecorder(decoder: self) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleRecorder(decoder: self) }

    func record<T: Decodable>(_ type: T.Type) throws -> (schema: JSONSchema, value: T) { try SchemaRecorder.record(type, depth: depth + 1) }
}

struct KeyedRecorder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: RecordingDecoder
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (schema, value) = try decoder.record(type)
        add(key, schema, required: true)
        return value
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let (schema, _) = try decoder.record(type)
        add(key, schema, required: false)
        return nil
    }

    private func add(_ key: Key, _ schema: JSONSchema, required: Bool) {
        guard !decoder.storage.properties.contains(where: { $0.name == key.stringValue }) else { return }
        decoder.storage.properties.append(.init(name: key.stringValue, schema: schema, required: required))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw SchemaRecorder.RecordingFailed()
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw SchemaRecorder.RecordingFailed() }
    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
}

struct UnkeyedRecorder: UnkeyedDecodingContainer {
    let decoder: RecordingDecoder
    var codingPath: [any CodingKey] { [] }
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex > 0 }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, value) = try decoder.record(type)
        decoder.storage.element = schema
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw SchemaRecorder.RecordingFailed()
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw SchemaRecorder.RecordingFailed() }
    mutating func superDecoder() throws -> any Decoder { decoder }
}

struct SingleRecorder: SingleValueDecodingContainer {
    let decoder: RecordingDecoder
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, value) = try decoder.record(type)
        decoder.storage.single = schema
        return value
    }
}

/// The subset of JSON Schema that describes method params and results.
///
/// Schemas are not written by hand: ``SchemaRecorder`` derives them from the `Codable` types a method registers.
public indirect enum JSONSchema: Sendable, Hashable {
    /// Any JSON value.
    case any
    case boolean
    case integer
    case number
    case string
    /// One of the listed strings.
    case enumeration([String])
    /// An array whose elements follow the schema.
    case array(JSONSchema)
    /// An object with known properties, in declaration order; unknown properties are refused.
    case object([Property])
    /// An object with arbitrary string keys whose values follow the schema.
    case dictionary(JSONSchema)

    /// One property of an object schema.
    public struct Property: Sendable, Hashable {
        /// The member name.
        public var name: String
        /// The member's schema.
        public var schema: JSONSchema
        /// Whether the member must be present.
        public var required: Bool

        /// Creates a property.
        public init(name: String, schema: JSONSchema, required: Bool) {
            self.name = name
            self.schema = schema
            self.required = required
        }
    }

    /// The schema as a JSON Schema document fragment.
    public var jsonValue: JSONValue {
        switch self {
        case .any: return .object([:])
        case .boolean: return .object(["type": "boolean"])
        case .integer: return .object(["type": "integer"])
        case .number: return .object(["type": "number"])
        case .string: return .object(["type": "string"])
        case .enumeration(let cases): return .object(["type": "string", "enum": .array(cases.map(JSONValue.string))])
        case .array(let element): return .object(["type": "array", "items": element.jsonValue])
        case .dictionary(let value): return .object(["type": "object", "additionalProperties": value.jsonValue])
        case .object(let properties):
            var members: [String: JSONValue] = [:]
            for property in properties { members[property.name] = property.schema.jsonValue }
            return .object([
                "type": "object", "properties": .object(members), "required": .array(properties.filter(\.required).map { .string($0.name) }),
                "additionalProperties": .bool(false),
            ])
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral { public init(stringLiteral value: String) { self = .string(value) } }

/// A type that states its own schema and a placeholder value (enums, and types with custom decoding).
public protocol SchemaProviding {
    /// The schema of the type.
    static var jsonSchema: JSONSchema { get }
    /// Any valid value, used while deriving the schemas of enclosing types.
    static var schemaPlaceholder: Self { get }
}

extension SchemaProviding where Self: CaseIterable, Self: RawRepresentable, RawValue == String {
    public static var jsonSchema: JSONSchema { .enumeration(allCases.map(\.rawValue)) }
    public static var schemaPlaceholder: Self { allCases.first! }
}

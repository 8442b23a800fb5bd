import Foundation

/// Turns raw params into a method's typed params: positional arrays are mapped onto the declared fields,
/// the schema names every bad field, then `JSONDecoder` does the decoding.
enum ParamsDecoder {
    /// Decodes `raw` as `P`; an `idempotent` method's `idempotencyKey` (named or positional) is held to
    /// ``IdempotencyKey``'s rule, its problem reported with the schema's.
    static func decode<P: Decodable>(_ type: P.Type, from raw: JSONValue?, schema: JSONSchema, idempotent: Bool = false) throws(RPCError) -> P {
        let value = try normalize(raw, for: schema)
        var problems = SchemaValidator.problems(of: value, against: schema)
        if idempotent, let problem = IdempotencyKey.problem(in: value) { problems.append(problem) }
        guard problems.isEmpty else { throw .invalidParams(problems) }
        if let none = NoParams() as? P { return none }
        do { return try JSONCoding.decoder.decode(P.self, from: value.encoded()) } catch let error as DecodingError {
            throw .invalidParams([problem(from: error)])
        } catch let error as any RPCErrorConvertible { throw error.rpcError } catch {
            throw .invalidParams([FieldProblem(field: "", problem: "invalid")])
        }
    }

    /// Missing params become `{}` or `[]`; positional params become named ones, in declaration order.
    static func normalize(_ raw: JSONValue?, for schema: JSONSchema) throws(RPCError) -> JSONValue {
        switch (raw, schema) {
        case (nil, .object), (nil, .dictionary): return .object([:])
        case (nil, .array): return .array([])
        case (nil, _): return .null
        case (.array(let items)?, .object(let properties)):
            guard items.count <= properties.count else {
                throw .invalidParams([FieldProblem(field: "", problem: "at most \(properties.count) positional params")])
            }
            var members: [String: JSONValue] = [:]
            for (item, property) in zip(items, properties) { members[property.name] = item }
            return .object(members)
        case (let value?, _): return value
        }
    }

    static func problem(from error: DecodingError) -> FieldProblem {
        let path: [any CodingKey]
        let text: String
        switch error {
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
            text = "required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            path = context.codingPath
            text = "wrong type"
        case .dataCorrupted(let context):
            path = context.codingPath
            text = context.debugDescription.isEmpty ? "invalid" : context.debugDescription
        @unknown default:
            path = []
            text = "invalid"
        }
        let field = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return FieldProblem(field: field, problem: text)
    }
}

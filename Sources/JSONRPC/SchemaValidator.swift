/// Checks a JSON value against a ``JSONSchema`` and names every offending field, not just the first.
enum SchemaValidator {
    static func problems(of value: JSONValue, against schema: JSONSchema, at path: String = "") -> [FieldProblem] {
        func expected(_ what: String) -> [FieldProblem] {
            [FieldProblem(field: path, problem: "expected \(what), got \(value.typeName)")]
        }
        switch schema {
        case .any:
            return []
        case .boolean:
            if case .bool = value { return [] }
            return expected("boolean")
        case .integer:
            if case .int = value { return [] }
            return expected("integer")
        case .number:
            switch value {
            case .int, .double: return []
            default: return expected("number")
            }
        case .string:
            if case .string = value { return [] }
            return expected("string")
        case .enumeration(let cases):
            if case .string(let text) = value, cases.contains(text) { return [] }
            return [FieldProblem(field: path, problem: "expected one of \(cases.joined(separator: ", "))")]
        case .array(let element):
            guard case .array(let items) = value else { return expected("array") }
            return items.enumerated().flatMap { index, item in
                problems(of: item, against: element, at: "\(path)[\(index)]")
            }
        case .dictionary(let valueSchema):
            guard case .object(let members) = value else { return expected("object") }
            return members.sorted { $0.key < $1.key }.flatMap { key, member in
                problems(of: member, against: valueSchema, at: join(path, key))
            }
        case .object(let properties):
            guard case .object(let members) = value else { return expected("object") }
            var found: [FieldProblem] = []
            for property in properties {
                let field = join(path, property.name)
                switch members[property.name] {
                case nil where property.required, .null? where property.required:
                    found.append(FieldProblem(field: field, problem: "required"))
                case nil, .null?:
                    break
                case let member?:
                    found += problems(of: member, against: property.schema, at: field)
                }
            }
            let known = Set(properties.map(\.name))
            for key in members.keys.sorted() where !known.contains(key) {
                found.append(FieldProblem(field: join(path, key), problem: "unknown"))
            }
            return found
        }
    }

    private static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}

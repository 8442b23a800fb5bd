/// Checks a JSON value against a ``JSONSchema`` and names every offending field, not just the first.
///
/// Text is checked too, at this one edge every method's params pass: a string or object key carrying a control
/// character (NUL, C0 other than tab/LF/CR, DEL, C1) is refused here, so none reaches PostgreSQL, Redis, logs or
/// mail headers.
enum SchemaValidator {
    static let controlProblem = "control characters are not allowed"

    /// Whether `text` holds a character no text param may carry (tab, line feed and carriage return are allowed).
    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: false
            case 0x00...0x1F, 0x7F...0x9F: true
            default: false
            }
        }
    }

    /// Control characters anywhere in a value of any shape (keys included).
    static func textProblems(of value: JSONValue, at path: String) -> [FieldProblem] {
        switch value {
        case .string(let text): return hasControlCharacters(text) ? [FieldProblem(field: path, problem: controlProblem)] : []
        case .array(let items): return items.enumerated().flatMap { index, item in textProblems(of: item, at: "\(path)[\(index)]") }
        case .object(let members):
            return members.sorted { $0.key < $1.key }.flatMap { key, member in
                hasControlCharacters(key)
                    ? [FieldProblem(field: path, problem: "a key has \(controlProblem)")] : textProblems(of: member, at: join(path, key))
            }
        default: return []
        }
    }

    static func problems(of value: JSONValue, against schema: JSONSchema, at path: String = "") -> [FieldProblem] {
        func expected(_ what: String) -> [FieldProblem] { [FieldProblem(field: path, problem: "expected \(what), got \(value.typeName)")] }
        switch schema {
        case .any: return textProblems(of: value, at: path)
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
            guard case .string(let text) = value else { return expected("string") }
            return hasControlCharacters(text) ? [FieldProblem(field: path, problem: controlProblem)] : []
        case .enumeration(let cases):
            if case .string(let text) = value, cases.contains(text) { return [] }
            return [FieldProblem(field: path, problem: "expected one of \(cases.joined(separator: ", "))")]
        case .array(let element):
            guard case .array(let items) = value else { return expected("array") }
            return items.enumerated().flatMap { index, item in problems(of: item, against: element, at: "\(path)[\(index)]") }
        case .dictionary(let valueSchema):
            guard case .object(let members) = value else { return expected("object") }
            return members.sorted { $0.key < $1.key }.flatMap { key, member in
                hasControlCharacters(key)
                    ? [FieldProblem(field: path, problem: "a key has \(controlProblem)")]
                    : problems(of: member, against: valueSchema, at: join(path, key))
            }
        case .object(let properties):
            guard case .object(let members) = value else { return expected("object") }
            var found: [FieldProblem] = []
            for property in properties {
                let field = join(path, property.name)
                switch members[property.name] {
                case nil where property.required, .null? where property.required: found.append(FieldProblem(field: field, problem: "required"))
                case nil, .null?: break
                case let member?: found += problems(of: member, against: property.schema, at: field)
                }
            }
            let known = Set(properties.map(\.name))
            for key in members.keys.sorted() where !known.contains(key) {
                found.append(FieldProblem(field: hasControlCharacters(key) ? path : join(path, key), problem: "unknown"))
            }
            return found
        }
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

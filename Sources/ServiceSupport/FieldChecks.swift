public import JSONRPC

/// Collects what is wrong with a method's params, field by field, and throws them together as one
/// `invalid_params` error (so a client sees every problem at once, not the first).
///
/// ```swift
/// var checks = FieldChecks()
/// checks.range(params.rating, 1...5, "rating")
/// checks.maxLength(params.comment, 2000, "comment")
/// try checks.check()
/// ```
/// The problem texts are part of the contract clients read (`error.data.fields[].problem`); the helpers spell the
/// common ones the same way everywhere: `1 to 5`, `at most 2000 characters`, `1 to 200 characters`, `at most 20`.
public struct FieldChecks: Sendable {
    /// The problems found so far, in the order they were found.
    public private(set) var problems: [FieldProblem] = []

    /// No problems yet.
    public init() {}

    /// Records `problem` on `field`.
    public mutating func add(_ field: String, _ problem: String) { problems.append(FieldProblem(field: field, problem: problem)) }

    /// Records `problem` on `field` unless `condition` holds.
    public mutating func expect(_ condition: Bool, _ field: String, _ problem: String) { if !condition { add(field, problem) } }

    /// `value` (when present) lies in `range`; else `<lower> to <upper>`.
    public mutating func range<Value: Comparable & CustomStringConvertible>(_ value: Value?, _ range: ClosedRange<Value>, _ field: String) {
        guard let value else { return }
        expect(range.contains(value), field, "\(range.lowerBound) to \(range.upperBound)")
    }

    /// `text` (when present) has at most `max` characters; else `at most <max> characters`.
    public mutating func maxLength(_ text: String?, _ max: Int, _ field: String) {
        guard let text else { return }
        expect(text.count <= max, field, "at most \(max) characters")
    }

    /// `text` has a length in `range`; else `<lower> to <upper> characters`.
    public mutating func length(_ text: String, _ range: ClosedRange<Int>, _ field: String) {
        expect(range.contains(text.count), field, "\(range.lowerBound) to \(range.upperBound) characters")
    }

    /// `values` (when present) has at most `max` elements; else `at most <max>`.
    public mutating func maxCount<Values: Collection>(_ values: Values?, _ max: Int, _ field: String) {
        guard let values else { return }
        expect(values.count <= max, field, "at most \(max)")
    }

    /// Whether nothing is wrong so far.
    public var isEmpty: Bool { problems.isEmpty }

    /// Throws every problem found as one `invalid_params` error; returns when there is none.
    public func check() throws(RPCError) { guard problems.isEmpty else { throw RPCError.invalidParams(problems) } }
}

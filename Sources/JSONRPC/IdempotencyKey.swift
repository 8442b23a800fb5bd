/// The one rule for the `idempotencyKey` param of every method registered as `idempotent`, checked by the dispatcher
/// with the params' schema (after positional params are mapped onto names), so no service writes (or disagrees on)
/// its own: 1 to 100 printable ASCII characters
/// (U+0021 to U+007E, so no spaces or control characters), e.g. a UUID. A key that breaks it is an `invalid_params`
/// problem on the field `idempotencyKey`; an absent key is the method's own business (some require one), and a key
/// that is not a string is left to the params decoder (`expected string`).
public enum IdempotencyKey {
    /// The allowed lengths, in characters (all ASCII, so also bytes).
    public static let lengths: ClosedRange<Int> = 1...100
    /// What a client is told when its key breaks the rule.
    public static let rule = "1 to 100 printable ASCII characters"

    /// Whether `key` follows the rule.
    public static func isValid(_ key: String) -> Bool { lengths.contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) } }

    /// The problem with the `idempotencyKey` member of object params, if there is one.
    static func problem(in params: JSONValue?) -> FieldProblem? {
        guard case .string(let key)? = params?.objectValue?["idempotencyKey"], !isValid(key) else { return nil }
        return FieldProblem(field: "idempotencyKey", problem: rule)
    }
}

/// A raw-body HTTP endpoint on the worker (`POST /webhooks/<name>`): providers sign the exact bytes, so the body is
/// handed over unparsed with the request's headers (names lower-cased) and the request id.
public struct Webhook: Sendable {
    /// The path segment after `/webhooks/`.
    public var name: String
    /// Returns the status and a JSON body.
    public var handle: @Sendable (_ headers: [String: String], _ body: [UInt8], _ requestId: String?) async -> (status: Int, body: String)

    /// A webhook endpoint.
    public init(
        name: String,
        handle: @escaping @Sendable (_ headers: [String: String], _ body: [UInt8], _ requestId: String?) async -> (status: Int, body: String)
    ) {
        self.name = name
        self.handle = handle
    }
}

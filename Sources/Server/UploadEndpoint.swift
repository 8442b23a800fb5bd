public import JSONRPC

/// A raw-body HTTP endpoint under `/uploads/` (tus): `POST /uploads/` and `OPTIONS`, `HEAD`, `PATCH`, `DELETE` on
/// `/uploads/<id>`. The worker authenticates the request as `/rpc` does (cookie or bearer; `HEAD` and `OPTIONS`
/// count as safe requests) and hands over the method, id, headers (names lower-cased) and body (at most
/// ``maxBodyBytes``: a larger one is answered 413 before the handler runs).
public struct UploadEndpoint: Sendable {
    /// One request.
    public struct Request: Sendable {
        public var method: String
        public var uploadId: String?
        public var headers: [String: String]
        public var body: [UInt8]
        public var principal: Principal?
        public var clientAddress: String?
        public var requestId: String
    }

    /// Its answer.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]

        public init(status: Int, headers: [String: String], body: [UInt8]) {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    /// The largest body read.
    public var maxBodyBytes: Int
    /// Answers a request.
    public var handle: @Sendable (Request) async -> Response

    /// An upload endpoint.
    public init(maxBodyBytes: Int, handle: @escaping @Sendable (Request) async -> Response) {
        self.maxBodyBytes = maxBodyBytes
        self.handle = handle
    }
}

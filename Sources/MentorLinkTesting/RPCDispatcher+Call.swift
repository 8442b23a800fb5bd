public import Foundation
public import JSONRPC
public import Logging
public import ServiceSupport

/// HummingbirdTesting's `.router` mode for JSON-RPC: a call runs through the dispatcher (registry, access, params,
/// middleware, error rendering) exactly as a worker would run it, with no socket and no HTTP in between.
extension RPCDispatcher {
    /// Runs one call with an already-built context and reads back its result or error.
    public func call(_ method: String, _ params: String, context: RPCContext) async throws -> Outcome {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        let reply = await handle(body: Array(body.utf8), context: context)
        guard let response = reply.responses.first else { throw TestingError.noResponse(method) }
        switch response.outcome {
        case .error(let error): return Outcome(result: nil, error: error, cookies: context.response.setCookies)
        case .result(let data):
            let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
            return Outcome(result: object, error: nil, cookies: context.response.setCookies)
        }
    }

    /// Runs one call as `caller` (anonymously when `nil`), from `clientAddress`, over `transport`, on `session`.
    public func call(
        _ method: String, _ params: String = "{}", as caller: Caller?, clientAddress: String = "10.0.0.1", transport: RPCContext.Transport = .http,
        credentials: RequestCredentials = RequestCredentials(), session: (any RPCSession)? = nil, logger: Logger = .testing
    ) async throws -> Outcome {
        let context = RPCContext(
            requestId: "t-\(UUID().uuidString.prefix(6))", logger: logger, principal: caller?.principal, clientAddress: clientAddress,
            transport: transport, credentials: credentials, session: session)
        return try await call(method, params, context: context)
    }
}

extension Logger {
    /// A logger for tests: warnings and worse, to standard error (set `MENTORLINK_TEST_LOG_LEVEL` for more).
    public static var testing: Logger {
        var logger = Logger(label: "mentorlink.test")
        logger.logLevel = ProcessInfo.processInfo.environment["MENTORLINK_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }
}

public import Foundation
import Logging

/// Serves JSON-RPC 2.0 bodies: parses, validates, authorizes, runs handlers (batch elements concurrently),
/// and renders replies. It does no I/O of its own.
public struct RPCDispatcher: Sendable {
    /// The methods served, including the built-in `rpc.discover`.
    public let methods: [String: MethodDescriptor]
    /// Limits on bodies and batches.
    public let limits: RPCLimits
    /// Middleware, outermost first.
    public let middleware: [any RPCMiddleware]
    /// Called once per answered or notification call.
    public let observer: (@Sendable (CallRecord) -> Void)?
    /// The OpenRPC document, rendered once.
    public let openRPC: Data
    /// How an internal error is described in its log line. The default shows the type and `description` only (which
    /// for driver errors is generic); the worker passes the PostgreSQL adapter's, which adds SQLSTATE, message and
    /// statement but never bound values.
    public let errorLogDescription: @Sendable (any Error) -> String
    /// Recognizes errors that come from below the services (a driver's lost connection, a cache that is away) as the
    /// RPC errors they mean, `unavailable` above all; `nil` leaves the error internal (-32603, logged). The worker
    /// passes the adapters' outage recognizers.
    public let translateError: @Sendable (any Error) -> RPCError?
    /// Asked before a known method runs: an error refuses the call at once (the worker's dependency monitor answers
    /// `unavailable` while PostgreSQL is down); `nil` lets it run.
    public let admission: @Sendable (String) -> RPCError?

    /// Creates a dispatcher from a registry.
    public init(
        registry: MethodRegistry, info: OpenRPCInfo, limits: RPCLimits = RPCLimits(), middleware: [any RPCMiddleware] = [],
        observer: (@Sendable (CallRecord) -> Void)? = nil,
        errorLogDescription: @escaping @Sendable (any Error) -> String = { "\(type(of: $0)): \($0)" },
        translateError: @escaping @Sendable (any Error) -> RPCError? = { _ in nil },
        admission: @escaping @Sendable (String) -> RPCError? = { _ in nil }
    ) {
        self.admission = admission
        let document = OpenRPCDocument.render(methods: registry.methods.values.sorted { $0.name < $1.name }, info: info)
        var registry = registry
        registry.registerDiscover(document: document)
        self.methods = registry.methods
        self.limits = limits
        self.middleware = middleware
        self.observer = observer
        self.openRPC = document
        self.errorLogDescription = errorLogDescription
        self.translateError = translateError
    }

    /// Handles one HTTP body or WebSocket text frame.
    public func handle(body: some Collection<UInt8> & Sendable, context: RPCContext) async -> RPCReply {
        guard body.count <= limits.maxBodyBytes else {
            return .single(reject(.invalidRequest("Request larger than \(limits.maxBodyBytes) bytes", reason: "body_too_large")))
        }
        let document: JSONValue
        do { document = try JSONValue.parse(body, maxDepth: limits.maxDepth) } catch { return .single(reject(error)) }
        guard case .array(let elements) = document else {
            var budget = limits.maxResponseBytes
            return await handle(element: document, context: context).map { .single(bounded($0, budget: &budget)) } ?? .none
        }
        guard !elements.isEmpty else { return .single(reject(.invalidRequest("Empty batch"))) }
        guard elements.count <= limits.maxBatchLength else {
            return .single(reject(.invalidRequest("Batch longer than \(limits.maxBatchLength)", reason: "batch_too_large")))
        }
        let responses = await withTaskGroup(of: (Int, RPCResponse?).self) { group in
            for (index, element) in elements.enumerated() { group.addTask { (index, await self.handle(element: element, context: context)) } }
            var slots = [RPCResponse?](repeating: nil, count: elements.count)
            for await (index, response) in group { slots[index] = response }
            return slots.compactMap { $0 }
        }
        var budget = limits.maxResponseBytes
        return responses.isEmpty ? .none : .batch(responses.map { bounded($0, budget: &budget) })
    }

    /// The response, or a `response_too_large` error in its place when its result would exceed what is left of the
    /// body's response budget (in order: earlier elements of a batch are kept).
    func bounded(_ response: RPCResponse, budget: inout Int) -> RPCResponse {
        guard case .result(let data) = response.outcome else { return response }
        guard data.count <= budget else { return RPCResponse(id: response.id, outcome: .error(.responseTooLarge(limit: limits.maxResponseBytes))) }
        budget -= data.count
        return response
    }

    /// Handles one element: a request object or anything that claims to be one.
    func handle(element: JSONValue, context: RPCContext) async -> RPCResponse? {
        switch RPCRequest.validate(element) {
        case .failure(let invalid):
            observer?(CallRecord(method: nil, errorCode: invalid.error.code, duration: .zero))
            return RPCResponse(id: invalid.id, outcome: .error(invalid.error))
        case .success(let request): return await handle(request: request, context: context)
        }
    }

    /// Runs one valid request; returns `nil` for a notification.
    public func handle(request: RPCRequest, context: RPCContext) async -> RPCResponse? {
        let start = ContinuousClock.now
        let method = methods[request.method]
        let outcome: RPCResponse.Outcome
        // An unknown method and an instant one answer at once: only a call that may wait races the deadline.
        if let method, !method.instant, let deadline = limits.callDeadline {
            outcome = await CallDeadline.race(deadline, timedOut: .error(.unavailable("deadline"))) {
                await self.run(request, method: method, context: context)
            } onTimeout: {
                context.logger.warning("rpc.deadline_exceeded", metadata: ["rpc.method": .string(request.method)])
            }
        } else if let method {
            outcome = await run(request, method: method, context: context)
        } else {
            outcome = .error(.methodNotFound(request.method))
        }
        let errorCode: Int? = if case .error(let error) = outcome { error.code } else { nil }
        observer?(CallRecord(method: method == nil ? nil : request.method, errorCode: errorCode, duration: .now - start))
        guard let id = request.id else { return nil }
        return RPCResponse(id: id, outcome: outcome)
    }

    private func run(_ request: RPCRequest, method: MethodDescriptor, context: RPCContext) async -> RPCResponse.Outcome {
        if let refusal = admission(method.name) { return .error(refusal) }
        if let denial = method.access.check(context.principal) {
            context.logger.notice(
                "rpc.denied",
                metadata: [
                    "rpc.method": .string(method.name), "rpc.reason": .string(denial.reason ?? ""),
                    "user.id": .string(context.principal?.userId ?? "anonymous"),
                ])
            return .error(denial)
        }
        do { return .result(try await invoke(RPCCall(request: request, method: method), context: context, from: 0)) } catch let error
            as any RPCErrorConvertible
        { return .error(error.rpcError) } catch {
            // Cancelled at its deadline (answered already) or with its caller: nothing to report.
            if Task.isCancelled { return .error(.unavailable("deadline")) }
            if let translated = translateError(error) {
                context.logger.warning(
                    "rpc.dependency_error",
                    metadata: [
                        "rpc.method": .string(method.name), "rpc.reason": .string(translated.reason ?? ""),
                        "error": .string(errorLogDescription(error)),
                    ])
                return .error(translated)
            }
            context.logger.error("rpc.internal_error", metadata: ["rpc.method": .string(method.name), "error": .string(errorLogDescription(error))])
            return .error(.internalError())
        }
    }

    private func invoke(_ call: RPCCall, context: RPCContext, from index: Int) async throws -> Data {
        guard index < middleware.count else { return try await call.method.invoke(call.request.params, context) }
        return try await middleware[index].handle(call, context: context) { call, context in
            try await self.invoke(call, context: context, from: index + 1)
        }
    }

    private func reject(_ error: RPCError) -> RPCResponse {
        observer?(CallRecord(method: nil, errorCode: error.code, duration: .zero))
        return RPCResponse(id: .null, outcome: .error(error))
    }
}

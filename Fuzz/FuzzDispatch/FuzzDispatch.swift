import AuditService
import BookingService
import DiscoveryService
import Dispatch
import FeedbackService
import Foundation
import FuzzSupport
import IdentityService
import JSONRPC
import Logging
import MentorLinkCore
import MentorLinkTesting
import OperationsService
import PaymentsService
import RealtimeService
import ServiceSupport

/// The envelope and dispatch path with the real registry: any body, from any caller, gives a valid JSON-RPC answer
/// (an object or a non-empty array of response objects with `jsonrpc: "2.0"` and exactly one of result/error, every
/// error with a reason and none internal) or no body at all, and never a trap. The input's length picks the caller
/// (so the corpus stays plain request bodies).
struct Echo: Codable, Sendable {
    var text: String
    var count: Int?
    var tags: [String]?
    var nested: [String: [Int]]?
}

/// The worker's services on the in-memory ports (`MentorLinkTesting`), next to a few methods of odd shapes: the
/// inputs reach real handlers, validation and error mapping, with no PostgreSQL or Redis behind them.
let dispatcher: RPCDispatcher = {
    let identity = IdentityConfiguration(signingKeys: [("fuzz", Array(repeating: 7, count: 32))], allowedOrigins: [])
    let cursors = identity.cursors
    let store = InMemoryIdentityStore()
    let limiter = InMemoryRateLimiter()
    let revocations = InMemoryRevocationList()
    let bus = InMemoryEventBus()
    let stores = (
        bookings: InMemoryBookingStore(database: marketplace), directory: InMemoryMentorDirectory(database: marketplace),
        reviews: InMemoryReviewStore(database: marketplace), payments: InMemoryPaymentsStore(database: marketplace)
    )
    var booking = BookingConfiguration()
    booking.cursors = cursors
    var discovery = DiscoveryConfiguration()
    discovery.cursors = cursors
    let payments = PaymentsConfiguration()
    let subscriptions = Subscriptions(bus: bus, limit: 5)
    var registry = MethodRegistry()
    registry.mount(SystemService(version: "fuzz", gitCommit: nil))
    registry.register("fuzz.echo", access: .public) { (p: Echo, _) -> Echo in p }
    registry.register("fuzz.sum", access: .public) { (p: [Int], _) -> Int in p.reduce(0) { $0 &+ $1 } }
    registry.register("fuzz.admin", access: .only(.admin)) { (_: NoParams, _) -> Bool in true }
    registry.register("fuzz.fail", access: .public) { (_: NoParams, _) -> Bool in throw RPCError.invalidParams([]) }
    let (bookingConfiguration, discoveryConfiguration) = (booking, discovery)
    let services: [any RPCService] = blocking {
        var configuration = identity
        configuration.argon2 = Argon2Cost(memoryKiB: 64, iterations: 1, parallelism: 1)
        let tokens = await AccessTokens(configuration: configuration)
        let authenticator = IdentityAuthenticator(tokens: tokens, revocations: revocations, configuration: configuration, logger: quiet)
        return [
            try! await IdentityService(
                store: store, revocations: revocations, limiter: limiter, tokens: tokens, configuration: configuration, authenticator: authenticator,
                logger: quiet), AuditService(log: store, cursors: cursors), DeadLetterService(store: InMemoryDeadLetterStore(), cursors: cursors),
            RealtimeService(subscriptions: subscriptions, store: InMemoryNotificationStore(), cursors: cursors),
            RoomsService(
                rooms: InMemoryRoomStore(), presence: InMemoryPresence(), bus: bus, subscriptions: subscriptions, configuration: RoomsConfiguration()),
            DiscoveryService(directory: stores.directory, configuration: discoveryConfiguration),
            BookingService(store: stores.bookings, configuration: bookingConfiguration), FeedbackService(store: stores.reviews, cursors: cursors),
            WalletService(store: stores.payments, cursors: cursors),
            PaymentsService(
                store: stores.payments, gateways: [.stripe: FakePaymentGateway(.stripe), .upi: FakePaymentGateway(.upi)], configuration: payments),
            PayoutsService(store: stores.payments, gateway: FakePayoutGateway(), configuration: payments),
        ]
    }
    for service in services { registry.mount(service) }
    // The middleware runs, but with budgets no run exhausts: rate-limited answers would starve the handlers.
    let unlimited = identity.rateRules.mapValues { RateRule(count: $0.count * 1_000_000, period: $0.period, burst: $0.burst * 1_000_000) }
    return RPCDispatcher(
        registry: registry, info: OpenRPCInfo(title: "fuzz", version: "0"), limits: RPCLimits(maxResponseBytes: 64 << 10),
        middleware: [RateLimitMiddleware(limiter: limiter, rules: unlimited, logger: quiet)])
}()

/// The marketplace's tables (bookings, profiles, reviews, the ledger) behind the in-memory stores.
let marketplace = InMemoryMarketplace()

/// The callers an input may speak as (its length chooses): anonymous, a mentee, a mentor, an admin (accounts of the
/// marketplace, so bookings and wallets have someone to belong to).
let callers: [Principal?] =
    [nil]
    + [Role.mentee, .mentor, .admin].map { role in
        Caller(id: marketplace.addUser(name: "Fuzz \(role.rawValue)", roles: [role]), roles: [role]).principal
    }

/// Runs `body` to completion from synchronous code (the fuzzer's callback).
func blocking<T>(_ body: @escaping @Sendable () async throws -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        box.value = try! await body()
        done.signal()
    }
    done.wait()
    return box.value!
}

final class ResultBox<T>: @unchecked Sendable {  // written once by the task, read after the semaphore: ordered by it
    var value: T?
}

let quiet = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

func fuzzDispatch(_ bytes: [UInt8]) {
    let caller = callers[bytes.count % callers.count]
    let body = bytes
    let reply = blocking { await dispatcher.handle(body: body, context: RPCContext(requestId: "fuzz", logger: quiet, principal: caller)) }
    guard let body = reply.body else { return }
    guard let document = try? JSONValue.parse(body, maxDepth: 64) else { fatalError("the answer is not JSON") }
    let responses: [JSONValue]
    switch document {
    case .array(let items):
        precondition(!items.isEmpty, "an empty batch answer")
        responses = items
    default: responses = [document]
    }
    for response in responses {
        guard case .object(let members) = response, members["jsonrpc"] == .string("2.0") else { fatalError("not a response object") }
        precondition((members["result"] == nil) != (members["error"] == nil), "result and error together, or neither")
        if case .object(let error)? = members["error"], case .object(let data)? = error["data"] {
            precondition(data["reason"] != nil, "an error without a reason")
            precondition(error["code"] != .int(-32603), "an internal error: \(error)")
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput") public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzDispatch(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
#else
@main struct Replay { static func main() { CorpusReplay.run(Array(CommandLine.arguments.dropFirst()), fuzzDispatch) } }
#endif

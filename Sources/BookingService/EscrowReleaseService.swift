public import Logging
public import MentorLinkCore
public import ServiceLifecycle
import ServiceSupport

/// Releases the escrow of sessions that ended at least the configured ``BookingConfiguration/completionGrace`` ago
/// to their mentors (split by ``BookingConfiguration/platformFee``), every ``interval`` until shutdown. Every worker
/// runs one: the store claims each booking once, however many run at the same time.
public struct EscrowReleaseService: Service {
    let store: any EscrowReleasing
    let configuration: BookingConfiguration
    /// Time between runs: 30 seconds by default.
    public let interval: Duration
    /// Escrows released per store call; a run calls again while a call releases this many. 200 by default.
    public let batchSize: Int
    let logger: Logger

    /// A service releasing with `configuration`'s grace period and clock.
    public init(
        store: any EscrowReleasing, configuration: BookingConfiguration, interval: Duration = .seconds(30), batchSize: Int = 200, logger: Logger
    ) {
        self.store = store
        self.configuration = configuration
        self.interval = interval
        self.batchSize = max(1, batchSize)
        self.logger = logger
    }

    /// Releases every escrow due now, in batches of ``batchSize``; returns how many were released.
    public func releaseDue() async throws -> Int {
        var released = 0
        while true {
            let batch = try await store.releaseDueEscrows(
                now: configuration.now(), grace: configuration.completionGrace, limit: batchSize, fees: configuration.platformFee)
            released += batch
            if batch < batchSize { return released }
        }
    }

    /// Runs ``releaseDue()`` every ``interval`` until shutdown; a failed run is logged and retried at the next.
    public func run() async throws { await PeriodicJob(name: "escrow.release", interval: interval, logger: logger) { try await releaseDue() }.run() }
}

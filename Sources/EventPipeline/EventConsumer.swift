public import Logging
public import MentorLinkCore
public import ServiceLifecycle

/// Runs an ``EventHandler`` over an ``MentorLinkCore/EventSource`` (the broker's consumer group, in production),
/// never committing past a record that was not handled: a record that fails is retried (``RetryPolicy``: exponential
/// backoff with jitter) and then parked in the dead-letter store; only then is its offset committed. Records are
/// handled one at a time, so no later offset can be committed while one is still failing. Parking that fails
/// (PostgreSQL down) is retried until it succeeds or the service stops; a stop leaves the record uncommitted, so it
/// comes again. An admin's replay request (``MentorLinkCore/DeadLetterStore``) is picked up every `replayInterval`
/// and runs the handler on the parked record again.
public struct EventConsumer<Handler: EventHandler, Source: EventSource>: Service {
    let handler: Handler
    let source: Source
    let deadLetters: any DeadLetterStore
    let policy: RetryPolicy
    let replayInterval: Duration
    let describe: @Sendable (any Error) -> String
    let isOutage: @Sendable (any Error) -> Bool
    let logger: Logger

    /// A consumer service; `replayInterval` is how often requested replays are looked for; `describeError` says how a
    /// failure appears in logs and in the dead letter (the executable passes the PostgreSQL adapter's, which shows
    /// SQLSTATE, message and statement but no bound values; the default is an error's `description`). A failure that
    /// `isOutage` recognizes (PostgreSQL or Redis away), or that an adapter already translated to
    /// ``MentorLinkCore/CoreError/unavailable(_:)``, is retried with the backoff but not counted as an attempt, so an
    /// outage never parks a good message.
    /// Whether `error` is an adapter's own word for a dependency being away.
    static func isTranslatedOutage(_ error: any Error) -> Bool { if case CoreError.unavailable = error { true } else { false } }

    public init(
        handler: Handler, source: Source, deadLetters: any DeadLetterStore, policy: RetryPolicy = RetryPolicy(),
        replayInterval: Duration = .seconds(2), describeError: @escaping @Sendable (any Error) -> String = { String(describing: $0) },
        isOutage: @escaping @Sendable (any Error) -> Bool = { _ in false }, logger: Logger
    ) {
        self.isOutage = isOutage
        self.describe = { String(describeError($0).prefix(2000)) }
        self.handler = handler
        self.source = source
        self.deadLetters = deadLetters
        self.policy = policy
        self.replayInterval = replayInterval
        self.logger = logger
    }

    public func run() async throws {
        let source = self.source
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.replayLoop() }
                await self.consume(source.records, committer: source)
                group.cancelAll()
            }
        } onGracefulShutdown: {
            source.close()
        }
    }

    /// Handles `records` in order, committing each after it was handled or parked; returns when they end or the
    /// service stops.
    public func consume(_ records: some AsyncSequence<EventRecord, Never>, committer: some EventCommitter) async {
        for await message in records {
            guard await settle(message) else { return }
            do { try await committer.commit(message) } catch {
                // Handled or parked already: the next commit covers it, and a redelivery is harmless (idempotent).
                logger.warning(
                    "\(Handler.name).commit_failed", metadata: ["kafka.offset": .string("\(message.offset)"), "error": .string("\(error)")])
            }
        }
    }

    /// Handles one message with retries, or parks it; `false` when the service stopped first (nothing to commit).
    func settle(_ message: EventRecord) async -> Bool {
        var attempt = 0
        var outages = 0
        var lastError = ""
        while attempt < policy.attempts {
            attempt += 1
            do {
                try await handler.handle(message.value)
                return true
            } catch {
                lastError = describe(error)
                if Self.isTranslatedOutage(error) || isOutage(error) {
                    logger.warning(
                        "\(Handler.name).dependency_down", metadata: ["kafka.offset": .string("\(message.offset)"), "error": .string(lastError)])
                    outages += 1
                    if !(await pause(policy.delay(after: min(outages, 8)))) { return false }
                    attempt -= 1
                    continue
                }
                logger.warning(
                    "\(Handler.name).failed",
                    metadata: [
                        "kafka.topic": .string(message.topic), "kafka.offset": .string("\(message.offset)"), "attempt": .string("\(attempt)"),
                        "error": .string(lastError),
                    ])
            }
            if attempt < policy.attempts, !(await pause(policy.delay(after: attempt))) { return false }
        }
        let failed = FailedMessage(
            consumer: Handler.name, topic: message.topic, partition: message.partition, offset: message.offset, key: message.key,
            value: message.value, error: lastError, attempts: attempt)
        var parkAttempt = 0
        while true {
            parkAttempt += 1
            do {
                let id = try await deadLetters.park(failed)
                logger.error(
                    "\(Handler.name).parked",
                    metadata: ["dead_letter.id": .string("\(id)"), "kafka.offset": .string("\(message.offset)"), "error": .string(lastError)])
                return true
            } catch {
                logger.error(
                    "\(Handler.name).park_failed", metadata: ["kafka.offset": .string("\(message.offset)"), "error": .string(describe(error))])
                guard await pause(policy.delay(after: parkAttempt)) else { return false }
            }
        }
    }

    /// Runs the replays an admin asked for; returns how many succeeded.
    @discardableResult public func replayRequested(limit: Int = 50) async throws -> Int {
        var replayed = 0
        for letter in try await deadLetters.replaying(consumer: Handler.name, limit: limit) {
            do {
                try await handler.handle(letter.value)
                try await deadLetters.finishReplay(id: letter.id, error: nil)
                replayed += 1
                logger.notice("\(Handler.name).replayed", metadata: ["dead_letter.id": .string("\(letter.id)")])
            } catch {
                logger.error(
                    "\(Handler.name).replay_failed", metadata: ["dead_letter.id": .string("\(letter.id)"), "error": .string(describe(error))])
                try await deadLetters.finishReplay(id: letter.id, error: describe(error))
            }
        }
        return replayed
    }

    func replayLoop() async {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do { try await replayRequested() } catch {
                logger.warning("\(Handler.name).replay_poll_failed", metadata: ["error": .string(describe(error))])
            }
            guard await pause(replayInterval) else { return }
        }
    }

    /// Sleeps; `false` when the task was cancelled or the service is shutting down.
    func pause(_ duration: Duration) async -> Bool {
        do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) } } catch { return false }
        return !Task.isCancelled && !Task.isShuttingDownGracefully
    }
}

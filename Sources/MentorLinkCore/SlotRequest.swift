public import Foundation

/// A 1:1 time to book, hold or move a booking to, checked by the store against what it reads under the mentor's
/// lock (``BookingCheck``): on the mentor's grid, outside the minimum notice, and free. The booking service makes
/// it; the store applies it.
public struct SlotRequest: Sendable, Hashable {
    /// The start asked for.
    public var start: Instant
    /// The session's length.
    public var minutes: Int
    /// For a move that answers a reschedule proposal: the proposal (its start and proposer) it answers, which must
    /// still be the pending one.
    public var answering: Proposal?

    /// A reschedule proposal as its answer saw it.
    public struct Proposal: Sendable, Hashable {
        /// The start it proposed.
        public var start: Instant
        /// Who proposed it.
        public var proposer: UUID

        /// The proposal of `start` by `proposer`.
        public init(start: Instant, proposer: UUID) {
            self.start = start
            self.proposer = proposer
        }
    }

    /// A request for `minutes` from `start`.
    public init(start: Instant, minutes: Int, answering: Proposal? = nil) {
        self.start = start
        self.minutes = minutes
        self.answering = answering
    }

    /// Throws why the time cannot be taken: `outsideAvailability` off the mentor's grid (or without usable rules),
    /// `minNotice` on the grid but too soon, `slotTaken` when busy.
    public func check(_ found: BookingCheck) throws {
        guard let rules = found.rules, let calculator = SlotCalculator(rules: rules) else { throw CoreError.outsideAvailability }
        if calculator.isFree(start: start, minutes: minutes, busy: found.busy, now: found.now) { return }
        if !calculator.isFree(start: start, minutes: minutes, busy: [], now: found.now) {
            var relaxed = rules
            relaxed.minNoticeMinutes = 0
            let onGrid = SlotCalculator(rules: relaxed)?.isFree(start: start, minutes: minutes, busy: [], now: found.now) ?? false
            throw onGrid ? CoreError.minNotice : CoreError.outsideAvailability
        }
        throw CoreError.slotTaken
    }

    /// Whether the proposal this request answers is still the pending one in `found` (by the same proposer, for the
    /// same moment within a millisecond: clients echo the start they were shown); `true` when it answers none.
    public func answersPendingProposal(_ found: BookingCheck) -> Bool {
        guard let answering else { return true }
        guard let pending = found.proposedStart, found.proposedBy == answering.proposer else { return false }
        return abs(pending.date.timeIntervalSince(answering.start.date)) < 0.001
    }
}

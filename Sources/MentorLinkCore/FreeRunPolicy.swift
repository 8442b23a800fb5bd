/// How a mentor's free time is kept for search: runs of bookable slots (``SlotRun``) of their shortest 1:1 session
/// type, recomputed after every change of their rules, profile or bookings. The booking service passes the policy
/// with each write; the store reads what it needs under the mentor's lock, asks the policy, and stores the runs.
public struct FreeRunPolicy: Sendable, Hashable {
    /// The slot length when the mentor offers no 1:1 session type: 60 minutes.
    public var defaultSlotMinutes = 60
    /// How far either side of a changed range runs are recomputed: two days covers the buffers and the daily cap
    /// in any zone.
    public var changeMarginMinutes = 2 * 1440
    /// How far either side of the recomputed range busy time is read: one day.
    public var busyMarginMinutes = 1440

    /// The defaults.
    public init() {}

    /// The range of runs to rewrite at `now`: the whole horizon of `rules`, or, around a `changed` range, that range
    /// widened by ``changeMarginMinutes`` within the horizon. `nil` when the mentor has no usable rules (then they
    /// have no free time at all).
    public func range(rules: AvailabilityRules?, now: Instant, around changed: (start: Instant, end: Instant)?) -> (from: Instant, until: Instant)? {
        guard let rules, SlotCalculator(rules: rules) != nil else { return nil }
        let horizon = now.adding(minutes: rules.horizonDays * 1440)
        guard let changed else { return (now, horizon) }
        return (max(now, changed.start.adding(minutes: -changeMarginMinutes)), min(horizon, changed.end.adding(minutes: changeMarginMinutes)))
    }

    /// `range` widened to whole stored runs (the earliest start and latest end of those it meets; runs never cross
    /// a UTC midnight), never before `now`; `nil` when nothing is left to rewrite.
    public func widened(
        _ range: (from: Instant, until: Instant), toRunsFrom first: Instant?, until last: Instant?, now: Instant
    ) -> (from: Instant, until: Instant)? {
        var (from, until) = range
        if let first { from = max(now, min(from, first)) }
        if let last { until = max(until, last) }
        return from < until ? (from, until) : nil
    }

    /// The range whose busy time the runs of `range` depend on.
    public func busyRange(for range: (from: Instant, until: Instant)) -> (from: Instant, until: Instant) {
        (range.from.adding(minutes: -busyMarginMinutes), range.until.adding(minutes: busyMarginMinutes))
    }

    /// The free runs starting in `range`, for sessions of the shortest 1:1 type in `sessionTypes`; empty without
    /// usable rules.
    public func runs(
        rules: AvailabilityRules, sessionTypes: [SessionType], busy: [BusyInterval], in range: (from: Instant, until: Instant), now: Instant
    ) -> FreeRuns {
        let minutes = sessionTypes.filter { $0.kind == .oneOnOne }.map(\.minutes).min() ?? defaultSlotMinutes
        guard let calculator = SlotCalculator(rules: rules) else { return FreeRuns(runs: [], stepMinutes: minutes, slotMinutes: minutes) }
        let step = calculator.stepMinutes(for: minutes)
        let slots = calculator.slots(from: range.from, to: range.until, minutes: minutes, busy: busy, now: now).filter { $0.start < range.until }
        return FreeRuns(runs: SlotCalculator.runs(slots, stepMinutes: step), stepMinutes: step, slotMinutes: minutes)
    }
}

/// A mentor's free runs in a range, as the store keeps them.
public struct FreeRuns: Sendable, Hashable {
    /// The runs, in start order.
    public var runs: [SlotRun]
    /// The grid step (buffers included).
    public var stepMinutes: Int
    /// The slot length.
    public var slotMinutes: Int

    /// Runs on one grid.
    public init(runs: [SlotRun], stepMinutes: Int, slotMinutes: Int) {
        self.runs = runs
        self.stepMinutes = stepMinutes
        self.slotMinutes = slotMinutes
    }
}

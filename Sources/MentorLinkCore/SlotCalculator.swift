/// Time a mentor is not free: a booking, a group session or a live hold, with its buffers.
public struct BusyInterval: Sendable, Hashable {
    /// When the session starts (counted against the daily cap on its local date).
    public var start: Instant
    /// The blocked range, buffers included.
    public var blockedFrom: Instant
    public var blockedUntil: Instant
    /// A live hold: it blocks its time but does not count against the daily cap (a hold is not a session yet).
    public var isHold: Bool

    public init(start: Instant, blockedFrom: Instant, blockedUntil: Instant, isHold: Bool = false) {
        self.start = start
        self.blockedFrom = blockedFrom
        self.blockedUntil = blockedUntil
        self.isHold = isHold
    }
}

/// A bookable slot.
public struct Slot: Codable, Sendable, Hashable {
    public var start: Instant
    public var end: Instant

    public init(start: Instant, end: Instant) {
        self.start = start
        self.end = end
    }
}

/// Consecutive slots on one grid, stored for search (`availability_runs`).
public struct SlotRun: Sendable, Hashable {
    public var start: Instant
    public var end: Instant
    public var stepSeconds: Int
    public var slotSeconds: Int
}

/// Free slots = weekly rules (wall clock in the mentor's zone) − overrides − busy time, on a grid that includes
/// the buffers, from `now + minNotice` up to `now + horizonDays`, at most `maxPerDay` sessions per local date.
public struct SlotCalculator: Sendable {
    public let rules: AvailabilityRules
    public let clock: ZonedClock

    /// `nil` when the rules name an unknown zone.
    public init?(rules: AvailabilityRules) {
        guard let clock = ZonedClock(identifier: rules.timeZone) else { return nil }
        self.rules = rules
        self.clock = clock
    }

    /// The grid step for sessions of `minutes`.
    public func stepMinutes(for minutes: Int) -> Int { rules.bufferBeforeMinutes + minutes + rules.bufferAfterMinutes }

    /// Free slots of `minutes` that start in `[from, to)`.
    public func slots(from: Instant, to: Instant, minutes: Int, busy: [BusyInterval], now: Instant) -> [Slot] {
        guard minutes > 0, from < to else { return [] }
        let earliest = max(from, now.adding(minutes: rules.minNoticeMinutes))
        let horizon = now.adding(minutes: rules.horizonDays * 1440)
        let latest = min(to, horizon)
        guard earliest < latest else { return [] }
        let clock = clock.prepared(from: earliest.adding(minutes: -3 * 1440), to: latest.adding(minutes: 3 * 1440))
        let firstDay = ZonedClock.days(clock.localDate(of: earliest)) - 1
        let lastDay = ZonedClock.days(clock.localDate(of: latest)) + 1
        let busy = busy.sorted { $0.blockedFrom < $1.blockedFrom }
        var perDay: [Int: Int] = [:]
        if rules.maxPerDay != nil {
            for interval in busy where !interval.isHold { perDay[ZonedClock.days(clock.localDate(of: interval.start)), default: 0] += 1 }
        }
        let step = stepMinutes(for: minutes)
        var slots: [Slot] = []
        var seen: Set<Instant> = []
        for day in firstDay...lastDay {
            if let cap = rules.maxPerDay, perDay[day, default: 0] >= cap { continue }
            let date = ZonedClock.date(days: day)
            for window in windows(on: date) {
                let windowEnd =
                    window.end.minutes == 1440
                    ? clock.boundary(ZonedClock.date(days: day + 1), minutes: 0) : clock.boundary(date, minutes: window.end.minutes)
                var wall = window.start.minutes
                while wall < window.end.minutes {
                    defer { wall += step }
                    guard let start = clock.instant(date, minutes: wall) else { continue }  // skipped by DST
                    let end = start.adding(minutes: minutes)
                    guard end <= windowEnd, start >= earliest, start < latest, !seen.contains(start) else { continue }
                    let blocked = rules.blocked(start: start, end: end)
                    guard !busy.contains(where: { $0.blockedFrom < blocked.until && blocked.from < $0.blockedUntil }) else { continue }
                    seen.insert(start)
                    slots.append(Slot(start: start, end: end))
                }
            }
        }
        return slots.sorted { $0.start < $1.start }
    }

    /// Whether a session of `minutes` at `start` is on the grid and free.
    public func isFree(start: Instant, minutes: Int, busy: [BusyInterval], now: Instant) -> Bool {
        slots(from: start, to: start.adding(seconds: 1), minutes: minutes, busy: busy, now: now).first?.start == start
    }

    /// The wall-clock windows of a date: its override if any, else the weekly windows of its weekday.
    func windows(on date: LocalDate) -> [(start: ClockTime, end: ClockTime)] {
        let overrides = rules.overrides.filter { $0.date == date }
        if !overrides.isEmpty {
            if overrides.contains(where: { $0.unavailable == true }) { return [] }
            return overrides.compactMap { override in
                guard let start = override.start, let end = override.end, start < end else { return nil }
                return (start, end)
            }
        }
        let weekday = ZonedClock.weekday(date)
        return rules.weekly.filter { $0.day == weekday && $0.start < $0.end }.map { ($0.start, $0.end) }
    }

    /// Groups sorted slots into runs on one grid (for search's "available between"); a run never starts slots on
    /// two UTC days, so a change rewrites only the runs of the days it touches.
    public static func runs(_ slots: [Slot], stepMinutes: Int) -> [SlotRun] {
        var runs: [SlotRun] = []
        for slot in slots {
            let length = Int(slot.end.epochSeconds - slot.start.epochSeconds)
            if var last = runs.last, last.slotSeconds == length, last.start.epochSeconds / 86_400 == slot.start.epochSeconds / 86_400,
                slot.start.epochSeconds == last.end.epochSeconds - Int64(length) + Int64(stepMinutes * 60)
            {
                last.end = slot.end
                runs[runs.count - 1] = last
            } else {
                runs.append(SlotRun(start: slot.start, end: slot.end, stepSeconds: stepMinutes * 60, slotSeconds: length))
            }
        }
        return runs
    }
}

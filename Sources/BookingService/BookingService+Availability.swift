import Foundation
import JSONRPC
import MentorLinkCore
import ServiceSupport

/// `availability.*`: a mentor's rules and the free slots they produce.
extension BookingService {
    func registerAvailability(into registry: inout MethodRegistry) {
        registry.register(
            "availability.set", summary: "Replace your weekly rules, overrides, buffers and limits.", access: .only(.mentor), handler: setAvailability
        )
        registry.register("availability.get", summary: "A mentor's availability rules.", access: .public, handler: getAvailability)
        registry.register("availability.slots", summary: "Free slots of a length between two instants (UTC).", access: .public, handler: slots)
    }

    func setAvailability(_ params: SetAvailabilityParams, _ context: RPCContext) async throws -> AvailabilityResult {
        let caller = try context.caller()
        let rules = AvailabilityRules(
            timeZone: params.timeZone, weekly: params.weekly, overrides: params.overrides ?? [], bufferBeforeMinutes: params.bufferBeforeMinutes ?? 0,
            bufferAfterMinutes: params.bufferAfterMinutes ?? 0, minNoticeMinutes: params.minNoticeMinutes ?? 0, horizonDays: params.horizonDays ?? 60,
            maxPerDay: params.maxPerDay)
        let problems = Self.problems(rules)
        guard problems.isEmpty else { throw BookingError.invalid(problems) }
        try await mapped {
            try await store.saveAvailability(
                mentorId: caller.id, rules: rules, now: configuration.now(), audit: context.auditEntry("availability.set"),
                freeRuns: configuration.freeRuns)
        }
        await availability?.availabilityChanged(mentorId: caller.id, reason: "rules.changed")
        return AvailabilityResult(mentorId: caller.id, availability: rules)
    }

    /// Everything wrong with a set of rules.
    static func problems(_ rules: AvailabilityRules) -> [FieldProblem] {
        var checks = FieldChecks()
        checks.expect(ZonedClock(identifier: rules.timeZone) != nil, "timeZone", "not an IANA time zone")
        checks.expect(rules.weekly.count <= 50, "weekly", "at most 50 windows")
        for (index, window) in rules.weekly.enumerated() { checks.expect(window.start < window.end, "weekly[\(index)].end", "after start") }
        for day in Weekday.allCases {
            let windows = rules.weekly.filter { $0.day == day }.sorted { $0.start < $1.start }
            for (first, second) in zip(windows, windows.dropFirst()) {
                checks.expect(second.start >= first.end, "weekly", "windows on \(day.rawValue) overlap")
            }
        }
        checks.maxCount(rules.overrides, 400, "overrides")
        for (index, override) in rules.overrides.enumerated() {
            let wellFormed: Bool =
                switch (override.unavailable == true, override.start, override.end) {
                case (true, nil, nil): true
                case (false, let start?, let end?): start < end
                default: false
                }
            checks.expect(wellFormed, "overrides[\(index)]", "either unavailable: true, or start before end")
        }
        checks.range(rules.bufferBeforeMinutes, 0...240, "bufferBeforeMinutes")
        checks.range(rules.bufferAfterMinutes, 0...240, "bufferAfterMinutes")
        checks.range(rules.minNoticeMinutes, 0...(60 * 24 * 30), "minNoticeMinutes")
        checks.range(rules.horizonDays, 1...365, "horizonDays")
        checks.range(rules.maxPerDay, 1...100, "maxPerDay")
        return checks.problems
    }

    func getAvailability(_ params: MentorIdParams, _ context: RPCContext) async throws -> AvailabilityResult {
        AvailabilityResult(mentorId: params.mentorId, availability: try await store.availability(mentorId: params.mentorId))
    }

    func slots(_ params: SlotsParams, _ context: RPCContext) async throws -> SlotsResult {
        var checks = FieldChecks()
        checks.expect(params.from < params.to, "to", "after from")
        checks.expect(
            params.to.date.timeIntervalSince(params.from.date) <= Double(configuration.maxSlotRangeDays * 86_400), "to",
            "at most \(configuration.maxSlotRangeDays) days after from")
        checks.range(params.minutes, configuration.sessionMinutes, "minutes")
        let limit = params.limit ?? configuration.maxSlotsPerCall
        checks.range(limit, 1...configuration.maxSlotsPerCall, "limit")
        try checks.check()
        guard let rules = try await store.availability(mentorId: params.mentorId), let calculator = SlotCalculator(rules: rules) else {
            return SlotsResult(slots: [], timeZone: nil)
        }
        let now = configuration.now()
        let busy = try await store.busy(
            mentorId: params.mentorId, from: params.from.adding(minutes: -2 * 1440), to: params.to.adding(minutes: 2 * 1440), now: now)
        let slots = calculator.slots(from: params.from, to: params.to, minutes: params.minutes, busy: busy, now: now)
        guard slots.count > limit else { return SlotsResult(slots: slots, timeZone: rules.timeZone) }
        return SlotsResult(slots: Array(slots.prefix(limit)), timeZone: rules.timeZone, truncated: true, nextFrom: slots[limit].start)
    }
}

import JSONRPC
import MentorLinkCore
import ServiceSupport
import Foundation

/// `availability.*`: a mentor's rules and the free slots they produce.
extension BookingService {
    func registerAvailability(into registry: inout MethodRegistry) {
        registry.register("availability.set", summary: "Replace your weekly rules, overrides, buffers and limits.", access: .only(.mentor), handler: setAvailability)
        registry.register("availability.get", summary: "A mentor's availability rules.", access: .public, handler: getAvailability)
        registry.register("availability.slots", summary: "Free slots of a length between two instants (UTC).", access: .public, handler: slots)
    }

    func setAvailability(_ params: SetAvailabilityParams, _ context: RPCContext) async throws -> AvailabilityResult {
        let caller = try Caller(context)
        let rules = AvailabilityRules(
            timeZone: params.timeZone, weekly: params.weekly, overrides: params.overrides ?? [],
            bufferBeforeMinutes: params.bufferBeforeMinutes ?? 0, bufferAfterMinutes: params.bufferAfterMinutes ?? 0,
            minNoticeMinutes: params.minNoticeMinutes ?? 0, horizonDays: params.horizonDays ?? 60, maxPerDay: params.maxPerDay)
        let problems = Self.problems(rules)
        guard problems.isEmpty else { throw BookingError.invalid(problems) }
        try await mapped {
            try await store.saveAvailability(mentorId: caller.id, rules: rules, now: configuration.now(), audit: context.auditEntry("availability.set"))
        }
        await configuration.availabilityChanged(caller.id, "rules.changed")
        return AvailabilityResult(mentorId: caller.id, availability: rules)
    }

    /// Everything wrong with a set of rules.
    static func problems(_ rules: AvailabilityRules) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if ZonedClock(identifier: rules.timeZone) == nil { problems.append(FieldProblem(field: "timeZone", problem: "not an IANA time zone")) }
        if rules.weekly.count > 50 { problems.append(FieldProblem(field: "weekly", problem: "at most 50 windows")) }
        for (index, window) in rules.weekly.enumerated() where window.start >= window.end {
            problems.append(FieldProblem(field: "weekly[\(index)].end", problem: "after start"))
        }
        for day in Weekday.allCases {
            let windows = rules.weekly.filter { $0.day == day }.sorted { $0.start < $1.start }
            for (first, second) in zip(windows, windows.dropFirst()) where second.start < first.end {
                problems.append(FieldProblem(field: "weekly", problem: "windows on \(day.rawValue) overlap"))
            }
        }
        if rules.overrides.count > 400 { problems.append(FieldProblem(field: "overrides", problem: "at most 400")) }
        for (index, override) in rules.overrides.enumerated() {
            let unavailable = override.unavailable == true
            switch (unavailable, override.start, override.end) {
            case (true, nil, nil): break
            case (false, let start?, let end?) where start < end: break
            default: problems.append(FieldProblem(field: "overrides[\(index)]", problem: "either unavailable: true, or start before end"))
            }
        }
        for (field, value) in [("bufferBeforeMinutes", rules.bufferBeforeMinutes), ("bufferAfterMinutes", rules.bufferAfterMinutes)] where !(0...240).contains(value) {
            problems.append(FieldProblem(field: field, problem: "0 to 240"))
        }
        if !(0...(60 * 24 * 30)).contains(rules.minNoticeMinutes) { problems.append(FieldProblem(field: "minNoticeMinutes", problem: "0 to 43200")) }
        if !(1...365).contains(rules.horizonDays) { problems.append(FieldProblem(field: "horizonDays", problem: "1 to 365")) }
        if let cap = rules.maxPerDay, !(1...100).contains(cap) { problems.append(FieldProblem(field: "maxPerDay", problem: "1 to 100")) }
        return problems
    }

    func getAvailability(_ params: MentorIdParams, _ context: RPCContext) async throws -> AvailabilityResult {
        AvailabilityResult(mentorId: params.mentorId, availability: try await store.availability(mentorId: params.mentorId))
    }

    func slots(_ params: SlotsParams, _ context: RPCContext) async throws -> SlotsResult {
        var problems: [FieldProblem] = []
        if params.from >= params.to { problems.append(FieldProblem(field: "to", problem: "after from")) }
        if params.to.date.timeIntervalSince(params.from.date) > Double(configuration.maxSlotRangeDays * 86_400) {
            problems.append(FieldProblem(field: "to", problem: "at most \(configuration.maxSlotRangeDays) days after from"))
        }
        if !configuration.sessionMinutes.contains(params.minutes) { problems.append(FieldProblem(field: "minutes", problem: "5 to 480")) }
        let limit = params.limit ?? configuration.maxSlotsPerCall
        if !(1...configuration.maxSlotsPerCall).contains(limit) {
            problems.append(FieldProblem(field: "limit", problem: "1 to \(configuration.maxSlotsPerCall)"))
        }
        guard problems.isEmpty else { throw BookingError.invalid(problems) }
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

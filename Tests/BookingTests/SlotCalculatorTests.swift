import Foundation
import MentorLinkCore
import Testing

/// Slot vectors: DST in Europe/Berlin, a 30-minute offset (Asia/Kolkata) and a 30-minute DST shift
/// (Australia/Lord_Howe), buffers on the grid, notice, horizon, overrides and the daily cap.
@Suite struct SlotCalculatorTests {
    static let longAgo = Instant(iso8601: "2026-01-01T00:00:00Z")!

    static func everyDay(_ start: String, _ end: String) -> [WeeklyWindow] {
        Weekday.allCases.map { WeeklyWindow(day: $0, start: ClockTime(start)!, end: ClockTime(end)!) }
    }

    static func starts(
        _ rules: AvailabilityRules, _ from: String, _ to: String, minutes: Int, busy: [BusyInterval] = [], now: Instant = longAgo
    ) -> [String] {
        var rules = rules
        rules.horizonDays = max(rules.horizonDays, 365 * 3)
        let calculator = SlotCalculator(rules: rules)!
        return calculator.slots(from: Instant(iso8601: from)!, to: Instant(iso8601: to)!, minutes: minutes, busy: busy, now: now).map(
            \.start.description)
    }

    @Test func berlinNineOClockMovesAnHourAcrossSpringForward() {
        let rules = AvailabilityRules(timeZone: "Europe/Berlin", weekly: Self.everyDay("09:00", "10:00"))
        #expect(
            Self.starts(rules, "2027-03-26T00:00:00Z", "2027-03-30T00:00:00Z", minutes: 60) == [
                "2027-03-26T08:00:00Z", "2027-03-27T08:00:00Z", "2027-03-28T07:00:00Z", "2027-03-29T07:00:00Z",
            ])
    }

    @Test func skippedWallClockTimeYieldsNoSlot() {
        let skipped = AvailabilityRules(
            timeZone: "Europe/Berlin", weekly: [WeeklyWindow(day: .sun, start: ClockTime("02:00")!, end: ClockTime("03:00")!)])
        #expect(Self.starts(skipped, "2027-03-28T00:00:00Z", "2027-03-29T00:00:00Z", minutes: 30).isEmpty)
        let around = AvailabilityRules(
            timeZone: "Europe/Berlin", weekly: [WeeklyWindow(day: .sun, start: ClockTime("01:00")!, end: ClockTime("04:00")!)])
        // 01:00 CET, (02:00 does not exist), 03:00 CEST.
        #expect(Self.starts(around, "2027-03-28T00:00:00Z", "2027-03-29T00:00:00Z", minutes: 60) == ["2027-03-28T00:00:00Z", "2027-03-28T01:00:00Z"])
    }

    @Test func repeatedAutumnHourYieldsOneSlotPerWallTime() {
        let rules = AvailabilityRules(
            timeZone: "Europe/Berlin", weekly: [WeeklyWindow(day: .sun, start: ClockTime("02:00")!, end: ClockTime("03:00")!)])
        // 02:00 and 02:30 happen twice on 2027-10-31; each is offered once, at its first (CEST) occurrence.
        #expect(Self.starts(rules, "2027-10-30T00:00:00Z", "2027-11-01T00:00:00Z", minutes: 30) == ["2027-10-31T00:00:00Z", "2027-10-31T00:30:00Z"])
    }

    @Test func kolkataHalfHourOffset() {
        let rules = AvailabilityRules(timeZone: "Asia/Kolkata", weekly: Self.everyDay("09:00", "10:00"))
        #expect(Self.starts(rules, "2027-06-01T00:00:00Z", "2027-06-02T00:00:00Z", minutes: 30) == ["2027-06-01T03:30:00Z", "2027-06-01T04:00:00Z"])
    }

    @Test func lordHoweHalfHourDSTEnd() {
        // 2027-04-04 02:00 LHDT (+11) becomes 01:30 LHST (+10:30): 01:30–02:00 repeats.
        let rules = AvailabilityRules(
            timeZone: "Australia/Lord_Howe", weekly: [WeeklyWindow(day: .sun, start: ClockTime("01:00")!, end: ClockTime("03:00")!)])
        #expect(
            Self.starts(rules, "2027-04-03T00:00:00Z", "2027-04-04T12:00:00Z", minutes: 30) == [
                "2027-04-03T14:00:00Z", "2027-04-03T14:30:00Z", "2027-04-03T15:30:00Z", "2027-04-03T16:00:00Z",
            ])
    }

    @Test func lordHoweHalfHourDSTStart() {
        // 2027-10-03 02:00 LHST (+10:30) becomes 02:30 LHDT (+11): 02:00–02:30 does not exist.
        let rules = AvailabilityRules(
            timeZone: "Australia/Lord_Howe", weekly: [WeeklyWindow(day: .sun, start: ClockTime("01:30")!, end: ClockTime("03:30")!)])
        #expect(
            Self.starts(rules, "2027-10-02T00:00:00Z", "2027-10-03T12:00:00Z", minutes: 30) == [
                "2027-10-02T15:00:00Z", "2027-10-02T15:30:00Z", "2027-10-02T16:00:00Z",
            ])
        let summer = AvailabilityRules(timeZone: "Australia/Lord_Howe", weekly: Self.everyDay("09:00", "09:30"))
        #expect(Self.starts(summer, "2027-01-10T00:00:00Z", "2027-01-11T00:00:00Z", minutes: 30) == ["2027-01-10T22:00:00Z"])
    }

    @Test func buffersShapeTheGridAndBlockAroundBookings() {
        let rules = AvailabilityRules(timeZone: "UTC", weekly: Self.everyDay("09:00", "12:00"), bufferBeforeMinutes: 10, bufferAfterMinutes: 20)
        let day = ("2027-05-03T00:00:00Z", "2027-05-04T00:00:00Z")
        // Step = 10 + 30 + 20 minutes.
        #expect(Self.starts(rules, day.0, day.1, minutes: 30) == ["2027-05-03T09:00:00Z", "2027-05-03T10:00:00Z", "2027-05-03T11:00:00Z"])
        let onGrid = BusyInterval(
            start: Instant(iso8601: "2027-05-03T10:00:00Z")!, blockedFrom: Instant(iso8601: "2027-05-03T09:50:00Z")!,
            blockedUntil: Instant(iso8601: "2027-05-03T10:50:00Z")!)
        #expect(Self.starts(rules, day.0, day.1, minutes: 30, busy: [onGrid]) == ["2027-05-03T09:00:00Z", "2027-05-03T11:00:00Z"])
        // A session at 09:40–10:10 keeps 09:30–10:30 free: the 09:00 slot's after-buffer and the 10:00 slot's before-buffer hit it.
        let offGrid = BusyInterval(
            start: Instant(iso8601: "2027-05-03T09:40:00Z")!, blockedFrom: Instant(iso8601: "2027-05-03T09:30:00Z")!,
            blockedUntil: Instant(iso8601: "2027-05-03T10:30:00Z")!)
        #expect(Self.starts(rules, day.0, day.1, minutes: 30, busy: [offGrid]) == ["2027-05-03T11:00:00Z"])
        // Back-to-back is allowed without buffers.
        let plain = AvailabilityRules(timeZone: "UTC", weekly: Self.everyDay("09:00", "11:00"))
        let booked = BusyInterval(
            start: Instant(iso8601: "2027-05-03T09:00:00Z")!, blockedFrom: Instant(iso8601: "2027-05-03T09:00:00Z")!,
            blockedUntil: Instant(iso8601: "2027-05-03T10:00:00Z")!)
        #expect(Self.starts(plain, day.0, day.1, minutes: 60, busy: [booked]) == ["2027-05-03T10:00:00Z"])
    }

    @Test func noticeHorizonOverridesAndDailyCap() {
        var rules = AvailabilityRules(timeZone: "UTC", weekly: Self.everyDay("09:00", "12:00"), minNoticeMinutes: 90)
        let now = Instant(iso8601: "2027-05-03T09:00:00Z")!
        let calculator = { (rules: AvailabilityRules) in SlotCalculator(rules: rules)! }
        let day = (Instant(iso8601: "2027-05-03T00:00:00Z")!, Instant(iso8601: "2027-05-04T00:00:00Z")!)
        #expect(calculator(rules).slots(from: day.0, to: day.1, minutes: 60, busy: [], now: now).map(\.start.description) == ["2027-05-03T11:00:00Z"])
        rules.minNoticeMinutes = 0
        rules.horizonDays = 1
        let week = calculator(rules).slots(from: day.0, to: day.0.adding(minutes: 7 * 1440), minutes: 60, busy: [], now: now)
        #expect(week.allSatisfy { $0.start < now.adding(minutes: 1440) })
        #expect(week.count == 3)  // 09, 10, 11 today; tomorrow's 09:00 is exactly at the horizon, so out
        rules.horizonDays = 60
        rules.overrides = [
            DateOverride(date: LocalDate("2027-05-04")!, unavailable: true),
            DateOverride(date: LocalDate("2027-05-05")!, start: ClockTime("14:00")!, end: ClockTime("15:00")!),
        ]
        let three = calculator(rules).slots(from: day.0, to: day.0.adding(minutes: 3 * 1440), minutes: 60, busy: [], now: now).map(
            \.start.description)
        #expect(three == ["2027-05-03T09:00:00Z", "2027-05-03T10:00:00Z", "2027-05-03T11:00:00Z", "2027-05-05T14:00:00Z"])
        rules.overrides = []
        rules.maxPerDay = 1
        let booked = BusyInterval(
            start: Instant(iso8601: "2027-05-03T09:00:00Z")!, blockedFrom: Instant(iso8601: "2027-05-03T09:00:00Z")!,
            blockedUntil: Instant(iso8601: "2027-05-03T10:00:00Z")!)
        let capped = calculator(rules).slots(from: day.0, to: day.0.adding(minutes: 2 * 1440), minutes: 60, busy: [booked], now: now)
        #expect(capped.map(\.start.description) == ["2027-05-04T09:00:00Z", "2027-05-04T10:00:00Z", "2027-05-04T11:00:00Z"])
    }

    @Test func isFreeOnlyOnTheGrid() {
        let rules = AvailabilityRules(timeZone: "UTC", weekly: Self.everyDay("09:00", "12:00"))
        let calculator = SlotCalculator(rules: rules)!
        let now = Instant(iso8601: "2027-05-01T00:00:00Z")!
        #expect(calculator.isFree(start: Instant(iso8601: "2027-05-03T10:00:00Z")!, minutes: 60, busy: [], now: now))
        #expect(!calculator.isFree(start: Instant(iso8601: "2027-05-03T10:15:00Z")!, minutes: 60, busy: [], now: now))
        #expect(!calculator.isFree(start: Instant(iso8601: "2027-05-03T11:30:00Z")!, minutes: 60, busy: [], now: now))
        #expect(SlotCalculator(rules: AvailabilityRules(timeZone: "Mars/Olympus", weekly: [])) == nil)
    }

    @Test func runsGroupConsecutiveSlots() throws {
        let rules = AvailabilityRules(timeZone: "UTC", weekly: Self.everyDay("09:00", "12:00"))
        let slots = SlotCalculator(rules: rules)!.slots(
            from: Instant(iso8601: "2027-05-03T00:00:00Z")!, to: Instant(iso8601: "2027-05-05T00:00:00Z")!, minutes: 60, busy: [],
            now: Instant(iso8601: "2027-05-01T00:00:00Z")!)
        let runs = SlotCalculator.runs(slots, stepMinutes: 60)
        try #require(runs.count == 2)
        #expect(runs[0].start.description == "2027-05-03T09:00:00Z" && runs[0].end.description == "2027-05-03T12:00:00Z")
    }
}

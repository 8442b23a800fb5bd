import Foundation
import MentorLinkCore
import Testing

@Suite struct ZonedClockTests {
    @Test func civilDatesRoundTrip() {
        for days in stride(from: -1000, through: 40_000, by: 37) { #expect(ZonedClock.days(ZonedClock.date(days: days)) == days) }
        #expect(ZonedClock.date(days: 0) == LocalDate(year: 1970, month: 1, day: 1))
        #expect(ZonedClock.weekday(LocalDate(year: 2027, month: 3, day: 28)) == .sun)
    }
}

import Foundation
import MentorLinkCore
import Testing

@testable import BookingService

/// The booking decisions the store no longer makes: why a seat was refused, where a cancelled escrow goes, and how a
/// release is split. Pure, no store.
@Suite struct BookingPolicyTests {
    static let now = Instant(iso8601: "2027-05-03T15:00:00Z")!

    static func group(mentor: UUID = UUID(), status: BookingStatus = .confirmed, startsIn minutes: Int = 60) -> Booking {
        let start = now.adding(minutes: minutes)
        return Booking(
            id: UUID(), kind: .group, mentorId: mentor, menteeId: nil, groupSessionId: nil, start: start, end: start.adding(minutes: 60),
            status: status, capacity: 2, seatsTaken: 2, createdAt: now)
    }

    @Test func aRefusedSeatSaysWhy() {
        let mentee = UUID()
        #expect(BookingService.joinRefusal(nil, menteeId: mentee, now: Self.now) == .notFound)
        #expect(
            BookingService.joinRefusal(Self.group(mentor: mentee), menteeId: mentee, now: Self.now)
                == .forbidden("mentors cannot join their own session"))
        #expect(
            BookingService.joinRefusal(Self.group(status: .cancelled), menteeId: mentee, now: Self.now) == .invalidState("the session is cancelled"))
        #expect(BookingService.joinRefusal(Self.group(startsIn: 0), menteeId: mentee, now: Self.now) == .invalidState("the session is over"))
        #expect(BookingService.joinRefusal(Self.group(), menteeId: mentee, now: Self.now) == .capacityFull)
    }

    @Test func onlyAMenteesLateCancellationReleases() {
        let booking = Self.group(startsIn: 23 * 60)
        let late = LateCancellationRule(byMentee: true, lateNotice: .seconds(24 * 3600), now: Self.now)
        #expect(late.isLate(booking))
        #expect(late.decision(for: booking) == .release)
        #expect(late.decision(for: Self.group(startsIn: 24 * 60)) == .refund)
        #expect(LateCancellationRule(byMentee: false, lateNotice: .seconds(24 * 3600), now: Self.now).decision(for: booking) == .refund)
    }

    @Test(arguments: [(0, 10, 0, 0), (1, 10, 0, 1), (9, 10, 8, 1), (11, 10, 9, 2), (100, 0, 100, 0), (7, 100, 0, 7)]) func aReleaseIsSplitByTheFee(
        price: Int, percent: Int, mentor: Int, fee: Int
    ) { #expect(PlatformFeePolicy(percent: percent).split(price) == EscrowSplit(mentorShare: mentor, fee: fee)) }

    @Test func freeRunsAreRewrittenAroundAChangeWithinTheHorizon() throws {
        let policy = FreeRunPolicy()
        let rules = AvailabilityRules(timeZone: "UTC", weekly: [])
        #expect(policy.range(rules: nil, now: Self.now, around: nil) == nil)
        #expect(policy.range(rules: AvailabilityRules(timeZone: "Nowhere/Unknown", weekly: []), now: Self.now, around: nil) == nil)
        let whole = try #require(policy.range(rules: rules, now: Self.now, around: nil))
        #expect(whole.from == Self.now && whole.until == Self.now.adding(minutes: rules.horizonDays * 1440))
        let start = Self.now.adding(minutes: 3 * 1440)
        let near = try #require(policy.range(rules: rules, now: Self.now, around: (start, start.adding(minutes: 60))))
        #expect(near.from == start.adding(minutes: -2 * 1440) && near.until == start.adding(minutes: 60 + 2 * 1440))
        let widened = try #require(
            policy.widened(near, toRunsFrom: Self.now.adding(minutes: -5), until: near.until.adding(minutes: 30), now: Self.now))
        #expect(widened.from == Self.now && widened.until == near.until.adding(minutes: 30))
        #expect(policy.widened((Self.now, Self.now), toRunsFrom: nil, until: nil, now: Self.now) == nil)
    }

    @Test func aMoveAnswersOnlyThePendingProposal() {
        let proposer = UUID()
        let start = Self.now.adding(minutes: 600)
        func found(_ proposed: Instant?, by: UUID?) -> BookingCheck {
            BookingCheck(rules: nil, busy: [], now: Self.now, proposedStart: proposed, proposedBy: by)
        }
        #expect(SlotRequest(start: start, minutes: 60).answersPendingProposal(found(nil, by: nil)))
        let answer = SlotRequest(start: start, minutes: 60, answering: SlotRequest.Proposal(start: start, proposer: proposer))
        #expect(answer.answersPendingProposal(found(start.adding(seconds: 0), by: proposer)))
        #expect(!answer.answersPendingProposal(found(start.adding(minutes: 30), by: proposer)))
        #expect(!answer.answersPendingProposal(found(start, by: UUID())))
        #expect(!answer.answersPendingProposal(found(nil, by: nil)))
        #expect(throws: CoreError.outsideAvailability) { try answer.check(found(start, by: proposer)) }
    }
}

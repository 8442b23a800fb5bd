public import Foundation
public import JSONRPC
public import MentorLinkCore
public import ServiceSupport

/// Params naming a mentor (`availability.get`).
public struct MentorIdParams: Codable, Sendable { public var mentorId: UUID }

// MARK: availability.*

public struct SetAvailabilityParams: Codable, Sendable {
    public var timeZone: String
    public var weekly: [WeeklyWindow]
    public var overrides: [DateOverride]?
    public var bufferBeforeMinutes: Int?
    public var bufferAfterMinutes: Int?
    public var minNoticeMinutes: Int?
    public var horizonDays: Int?
    public var maxPerDay: Int?
}

public struct AvailabilityResult: Codable, Sendable {
    public var mentorId: UUID
    public var availability: AvailabilityRules?
}

public struct SlotsParams: Codable, Sendable {
    public var mentorId: UUID
    public var from: Instant
    public var to: Instant
    public var minutes: Int
    /// At most this many slots (1 to 500, default 500).
    public var limit: Int?
}

public struct SlotsResult: Codable, Sendable {
    public var slots: [Slot]
    public var timeZone: String?
    /// Present (true) when more slots follow: ask again from `nextFrom`.
    public var truncated: Bool?
    /// Where the next call should start when `truncated`.
    public var nextFrom: Instant?
}

// MARK: booking.*

public struct HoldParams: Codable, Sendable {
    public var mentorId: UUID
    public var start: Instant
    public var minutes: Int
}

public struct HoldResult: Codable, Sendable {
    public var holdId: UUID
    public var expiresAt: Instant
    public var booking: Booking
}

public struct CreateBookingParams: Codable, Sendable {
    public var mentorId: UUID
    public var start: Instant
    public var minutes: Int
    public var holdId: UUID?
    public var idempotencyKey: String?
    public var agenda: [String: String]?
}

public struct BookingResult: Codable, Sendable {
    public var booking: Booking
    /// True when this answers a repeated idempotency key (nothing new was booked).
    public var replayed: Bool?
    /// True when a reschedule was recorded as a proposal (`booking.proposedStart`) waiting for the other side.
    public var pendingAcceptance: Bool?
}

public struct CreateGroupParams: Codable, Sendable {
    public var start: Instant
    public var minutes: Int
    public var capacity: Int
    public var title: String
    public var topic: String
    /// Price per seat in credits (default 0: free).
    public var priceCredits: Int?
}

public struct JoinParams: Codable, Sendable { public var groupSessionId: UUID }

public struct BookingIdParams: Codable, Sendable { public var bookingId: UUID }

public struct CancelParams: Codable, Sendable {
    public var bookingId: UUID
    public var reason: String?
}

public struct CancelResult: Codable, Sendable {
    public var booking: Booking
    public var policy: CancellationPolicy
}

/// `booking.cancelPreview`: the booking as it is, and the policy a cancellation now would be answered with.
public struct CancelPreviewResult: Codable, Sendable {
    public var booking: Booking
    public var policy: CancellationPolicy
}

public struct RescheduleParams: Codable, Sendable {
    public var bookingId: UUID
    public var start: Instant
}

public struct RescheduleAnswerParams: Codable, Sendable {
    public var bookingId: UUID
    public var accept: Bool
    /// The proposed start the responder saw (`booking.proposedStart`); when given and the proposal is no longer that
    /// start, the answer is refused with `proposal_changed`.
    public var proposedStart: Instant?
}

public struct ListBookingsParams: Codable, Sendable {
    public var `as`: BookingListQuery.Side?
    public var status: BookingStatus?
    public var from: Instant?
    public var to: Instant?
    public var cursor: String?
    public var limit: Int?
}

public struct BookingPage: Codable, Sendable {
    public var items: [Booking]
    public var nextCursor: String?
}

// MARK: forms.* and agenda

public struct SetTemplateParams: Codable, Sendable { public var questions: [FormQuestion] }

public struct TemplateResult: Codable, Sendable {
    public var mentorId: UUID
    public var questions: [FormQuestion]
}

public struct SubmitAgendaParams: Codable, Sendable {
    public var bookingId: UUID
    public var answers: [String: String]
}

import BookingService
import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import ServiceSupport

extension MarketplaceHarness {
    /// The booking service on the in-memory stores, on the harness's clock.
    static func booking(_ configure: (inout BookingConfiguration) -> Void = { _ in }) -> MarketplaceHarness {
        MarketplaceHarness { stores in
            var configuration = BookingConfiguration()
            configuration.now = { stores.clock.now }
            configuration.cursors = stores.cursors
            configure(&configuration)
            return [BookingService(store: stores.bookings, configuration: configuration)]
        }
    }

    /// The slot starts of `mentor` on `day` for sessions of `minutes`.
    func slots(_ mentor: Caller, minutes: Int = 60, day: String = "2027-05-03") async throws -> [String] {
        let result = try await ok(
            "availability.slots", #"{"mentorId":"\#(mentor.id)","from":"\#(day)T00:00:00Z","to":"\#(day)T23:59:00Z","minutes":\#(minutes)}"#)
        return (result["slots"] as? [[String: Any]] ?? []).compactMap { $0["start"] as? String }
    }

    /// Books `minutes` at `start` with `mentor` as `mentee`; the call's outcome.
    func book(_ mentor: Caller, _ start: String, minutes: Int = 60, as mentee: Caller?, extra: String = "") async throws -> Outcome {
        try await call("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(start)","minutes":\#(minutes)\#(extra)}"#, as: mentee)
    }

    /// Books and returns the booking's id.
    func bookId(_ mentor: Caller, _ start: String, minutes: Int = 60, as mentee: Caller?, extra: String = "") async throws -> String {
        let outcome = try await book(mentor, start, minutes: minutes, as: mentee, extra: extra)
        guard let id = outcome.object("booking")?["id"] as? String else {
            throw TestingError.callFailed("booking.create", "\(String(describing: outcome.error))")
        }
        return id
    }
}

extension Outcome {
    /// The result's `booking` field `key`.
    func booking(_ key: String) -> Any? { object("booking")?[key] }
}

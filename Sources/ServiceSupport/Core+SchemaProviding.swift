public import Foundation
public import JSONRPC
public import MentorLinkCore

// The JSON schemas of the core's value types, as params and results carry them, declared once for every service
// (the OpenRPC document and the params validator read them; the core itself knows nothing of JSON-RPC).

extension Instant: SchemaProviding {
    /// An RFC 3339 instant in UTC, e.g. `2027-05-03T10:00:00Z`.
    public static var jsonSchema: JSONSchema { .string }
    public static var schemaPlaceholder: Instant { Instant(Date(timeIntervalSince1970: 0)) }
}

extension ClockTime: SchemaProviding {
    /// A wall-clock time `HH:MM`.
    public static var jsonSchema: JSONSchema { .string }
    public static var schemaPlaceholder: ClockTime { ClockTime(minutes: 0) }
}

extension LocalDate: SchemaProviding {
    /// A calendar date `YYYY-MM-DD`.
    public static var jsonSchema: JSONSchema { .string }
    public static var schemaPlaceholder: LocalDate { LocalDate(year: 2027, month: 1, day: 1) }
}

extension Role: SchemaProviding {}
extension Weekday: SchemaProviding {}
extension BookingKind: SchemaProviding {}
extension BookingStatus: SchemaProviding {}
extension MentorSort: SchemaProviding {}
extension FormQuestion.Kind: SchemaProviding {}
extension BookingListQuery.Side: SchemaProviding {}
extension PaymentProviderName: SchemaProviding {}
extension LedgerAccountKind: SchemaProviding {}
extension RecordingState: SchemaProviding {}
extension RecordingOutput.Kind: SchemaProviding {}

import Crypto
public import Foundation
public import JSONRPC
public import MentorLinkCore
import ServiceSupport

/// An HTTP request to `/uploads/…`, as the worker hands it over (header names lower-cased).
public struct TusRequest: Sendable {
    public var method: String
    /// The upload's id (the path segment after `/uploads/`), `nil` for `/uploads/` itself.
    public var uploadId: String?
    public var headers: [String: String]
    public var body: [UInt8]
    /// The authenticated caller (cookie or bearer, as `/rpc`), if any.
    public var principal: Principal?
    public var clientAddress: String?
    public var requestId: String?

    public init(
        method: String, uploadId: String?, headers: [String: String], body: [UInt8], principal: Principal?, clientAddress: String? = nil,
        requestId: String? = nil
    ) {
        self.method = method
        self.uploadId = uploadId
        self.headers = headers
        self.body = body
        self.principal = principal
        self.clientAddress = clientAddress
        self.requestId = requestId
    }
}

/// The answer to a ``TusRequest``.
public struct TusResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
}

/// Recording uploads over the tus 1.0 protocol (core, creation, creation-defer-length, checksum with sha256,
/// termination, expiration), one upload per participant's track.
///
/// A creation request names its recording (`Upload-Metadata: recordingId <b64>,filetype <b64>`, optionally
/// `clientTime <b64 ms since 1970>` for the clock offset) and is accepted from the recording room's participants while
/// it records; the server stamps the track's start. Every refusal has a JSON body `{"error":{"reason","message"}}`:
/// 412 `tus_version`, 401 `unauthenticated`, 404 `not_found`, 403 `forbidden` (someone else's upload), 410 `expired`,
/// 409 `offset_mismatch` (with the server's `Upload-Offset`) or `recording_not_running`, 460 `checksum_mismatch`,
/// 413 `too_large` (a declared or grown length past ``RecordingConfiguration/maxTrackBytes``, a chunk past
/// ``RecordingConfiguration/maxChunkBytes``), 403 `too_many_tracks` (a participant's
/// ``RecordingConfiguration/maxTracksPerParticipant`` tracks in the recording exist already), 415
/// `unsupported_media_type` / `unsupported_type`, 400 for malformed headers.
public struct TusUploads: Sendable {
    let store: any RecordingStore
    let rooms: any RoomStore
    let staging: UploadStaging
    let configuration: RecordingConfiguration
    let now: @Sendable () -> Instant

    /// The protocol version spoken.
    public static let version = "1.0.0"
    /// The extensions supported.
    public static let extensions = "creation,creation-defer-length,checksum,termination,expiration"

    /// Creates the endpoint's logic.
    public init(
        store: any RecordingStore, rooms: any RoomStore, staging: UploadStaging, configuration: RecordingConfiguration = RecordingConfiguration(),
        now: @escaping @Sendable () -> Instant = { Instant.now }
    ) {
        self.store = store
        self.rooms = rooms
        self.staging = staging
        self.configuration = configuration
        self.now = now
    }

    /// Answers one request; never throws (a failing dependency is 503 `unavailable`).
    public func handle(_ request: TusRequest) async -> TusResponse {
        if request.method == "OPTIONS" {
            return reply(
                204,
                [
                    "Tus-Version": Self.version, "Tus-Extension": Self.extensions, "Tus-Max-Size": String(configuration.maxTrackBytes),
                    "Tus-Checksum-Algorithm": "sha256",
                ])
        }
        guard request.headers["tus-resumable"] == Self.version else {
            return refuse(412, "tus_version", "Tus-Resumable: \(Self.version) is required", ["Tus-Version": Self.version])
        }
        guard let caller = request.principal.flatMap(Caller.init) else { return refuse(401, "unauthenticated", "Sign in to upload") }
        do {
            switch (request.method, request.uploadId) {
            case ("POST", nil): return try await create(request, caller)
            case ("HEAD", let id?): return try await head(id, caller)
            case ("PATCH", let id?): return try await patch(id, request, caller)
            case ("DELETE", let id?): return try await terminate(id, caller)
            default:
                let allowed = request.uploadId == nil ? "POST, OPTIONS" : "HEAD, PATCH, DELETE, OPTIONS"
                return refuse(405, "method_not_allowed", "\(request.method) is not allowed here", ["Allow": allowed])
            }
        } catch let refusal as TusRefusal {
            return refuse(refusal.status, refusal.reason, refusal.message, refusal.headers)
        } catch {
            return refuse(503, "unavailable", "Try again shortly", ["Retry-After": "1"])
        }
    }

    // MARK: Requests

    func create(_ request: TusRequest, _ caller: Caller) async throws -> TusResponse {
        guard request.body.isEmpty else { throw TusRefusal(400, "body_not_allowed", "Create the upload first, then PATCH its bytes") }
        let metadata = try TusHeaders.metadata(request.headers["upload-metadata"])
        guard let recordingText = metadata["recordingId"], let recordingId = UUID(uuidString: recordingText) else {
            throw TusRefusal(400, "invalid_metadata", "Upload-Metadata must name recordingId")
        }
        let type = (metadata["filetype"] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard configuration.allowedTypes.contains(type) else {
            throw TusRefusal(415, "unsupported_type", "filetype must be one of \(configuration.allowedTypes.sorted().joined(separator: ", "))")
        }
        let length = try TusHeaders.length(request.headers)
        if length == 0 { throw TusRefusal(400, "invalid_length", "An empty track is not uploaded; terminate it instead") }
        if let length, length > configuration.maxTrackBytes {
            throw TusRefusal(413, "too_large", "At most \(configuration.maxTrackBytes) bytes per track")
        }
        guard let recording = try await store.recording(id: recordingId),
            let room = try await rooms.room(bookingId: recording.roomId), room.participantIds.contains(caller.id)
        else { throw TusRefusal(404, "not_found", "No such recording") }
        guard recording.state == .recording else { throw TusRefusal(409, "recording_not_running", "The recording is \(recording.state.rawValue)") }
        let stamped = now()
        let clientTime = metadata["clientTime"].flatMap(Int64.init)
        let clientOffset = clientTime.map { clientMs -> Int64 in
            let serverMs = Int64((stamped.date.timeIntervalSince1970 * 1000).rounded())
            return clientMs.subtractingReportingOverflow(serverMs).overflow ? 0 : clientMs - serverMs
        }
        let startedAt = Self.trackStart(
            stamped: stamped, clientTime: clientTime, clientStartedAt: metadata["startedAt"].flatMap(Int64.init),
            recordingStartedAt: recording.startedAt)
        let expires = stamped.adding(seconds: configuration.uploadExpirySeconds)
        let track: RecordingTrack
        do {
            track = try await store.createTrack(
                recordingId: recordingId, participantId: caller.id, mime: type, length: length, startedAt: startedAt, clientOffsetMs: clientOffset,
                expiresAt: expires,
                maxPerParticipant: configuration.maxTracksPerParticipant)
        } catch CoreError.invalidState("too_many_tracks") {
            throw TusRefusal(403, "too_many_tracks", "At most \(configuration.maxTracksPerParticipant) tracks per participant in a recording")
        } catch CoreError.invalidState(let why) { throw TusRefusal(409, "recording_not_running", why) } catch CoreError.notFound {
            throw TusRefusal(404, "not_found", "No such recording")
        }
        var headers = state(track)
        headers["Location"] = "/uploads/\(track.id.uuidString.lowercased())"
        return reply(201, headers)
    }

    /// A track's start on the server's clock: the creation's stamp less the time the client says passed since it began
    /// recording (`clientTime - startedAt`, both on the client's clock, so its offset cancels out), so a creation
    /// delayed by a network cut still places the track where it began. Only the elapsed time is taken from the client,
    /// and it is bounded: never negative, never before the recording began.
    static func trackStart(stamped: Instant, clientTime: Int64?, clientStartedAt: Int64?, recordingStartedAt: Instant) -> Instant {
        guard let clientTime, let clientStartedAt else { return stamped }
        let (elapsed, overflow) = clientTime.subtractingReportingOverflow(clientStartedAt)
        guard !overflow, elapsed > 0 else { return stamped }
        let sinceRecording = max(0, stamped.date.timeIntervalSince(recordingStartedAt.date))
        return Instant(stamped.date.addingTimeInterval(-min(Double(elapsed) / 1000, sinceRecording)))
    }

    func head(_ id: String, _ caller: Caller) async throws -> TusResponse {
        let track = try await ownTrack(id, caller)
        return reply(200, state(track))
    }

    func patch(_ id: String, _ request: TusRequest, _ caller: Caller) async throws -> TusResponse {
        guard request.headers["content-type"]?.lowercased() == "application/offset+octet-stream" else {
            throw TusRefusal(415, "unsupported_media_type", "Content-Type must be application/offset+octet-stream")
        }
        guard let offsetText = request.headers["upload-offset"], let offset = TusHeaders.nonNegative(offsetText) else {
            throw TusRefusal(400, "invalid_offset", "Upload-Offset must be a non-negative integer")
        }
        let declared: Int64?
        if let text = request.headers["upload-length"] {
            guard let value = TusHeaders.nonNegative(text) else {
                throw TusRefusal(400, "invalid_length", "Upload-Length must be a non-negative integer")
            }
            guard value <= configuration.maxTrackBytes else {
                throw TusRefusal(413, "too_large", "At most \(configuration.maxTrackBytes) bytes per track")
            }
            declared = value
        } else {
            declared = nil
        }
        guard request.body.count <= configuration.maxChunkBytes else {
            throw TusRefusal(413, "too_large", "At most \(configuration.maxChunkBytes) bytes per request")
        }
        // A deferred length is bounded too: no track grows past Tus-Max-Size.
        guard offset <= configuration.maxTrackBytes - Int64(request.body.count) else {
            throw TusRefusal(413, "too_large", "At most \(configuration.maxTrackBytes) bytes per track")
        }
        if let checksum = request.headers["upload-checksum"] { try TusHeaders.verify(checksum: checksum, body: request.body) }
        let track = try await ownTrack(id, caller)
        let body = request.body
        let staging = self.staging
        let appended: TrackAppend
        do {
            appended = try await store.append(
                trackId: track.id, offset: offset, count: Int64(body.count), declareLength: declared,
                expiresAt: now().adding(seconds: configuration.uploadExpirySeconds)
            ) { try staging.write(track.id, offset: offset, bytes: body) }
        } catch CoreError.invalidState(let why) {
            switch why {
            case "offset_mismatch":
                throw TusRefusal(409, "offset_mismatch", "The upload is at \(track.bytes)", ["Upload-Offset": String(track.bytes)])
            case "too_large": throw TusRefusal(413, "too_large", "Past the upload's declared length")
            case "length_mismatch": throw TusRefusal(400, "length_mismatch", "The upload's length was declared before, differently")
            case "complete": throw TusRefusal(409, "complete", "The upload is complete")
            default: throw TusRefusal(400, "invalid_request", why)
            }
        } catch CoreError.notFound { throw TusRefusal(404, "not_found", "No such upload") }
        return reply(204, state(appended.track))
    }

    func terminate(_ id: String, _ caller: Caller) async throws -> TusResponse {
        let track = try await ownTrack(id, caller, allowExpired: true)
        try await store.deleteTrack(id: track.id)
        staging.remove(track.id)
        return reply(204, [:])
    }

    // MARK: Helpers

    /// The caller's own live track `id`: 404 unknown, 403 someone else's, 410 expired.
    func ownTrack(_ id: String, _ caller: Caller, allowExpired: Bool = false) async throws -> RecordingTrack {
        guard let uuid = UUID(uuidString: id), let (track, _) = try await store.track(id: uuid) else {
            throw TusRefusal(404, "not_found", "No such upload")
        }
        guard track.participantId == caller.id else { throw TusRefusal(403, "forbidden", "This upload is someone else's") }
        if !allowExpired, !track.isComplete, track.expiresAt <= now() { throw TusRefusal(410, "expired", "The upload expired") }
        return track
    }

    /// The headers that state an upload's progress.
    func state(_ track: RecordingTrack) -> [String: String] {
        var headers = ["Upload-Offset": String(track.bytes), "Upload-Expires": TusHeaders.httpDate(track.expiresAt)]
        if let length = track.length { headers["Upload-Length"] = String(length) } else { headers["Upload-Defer-Length"] = "1" }
        return headers
    }

    func reply(_ status: Int, _ headers: [String: String], body: [UInt8] = []) -> TusResponse {
        var all = headers
        all["Tus-Resumable"] = Self.version
        all["Cache-Control"] = "no-store"
        return TusResponse(status: status, headers: all, body: body)
    }

    func refuse(_ status: Int, _ reason: String, _ message: String, _ headers: [String: String] = [:]) -> TusResponse {
        var all = headers
        all["Content-Type"] = "application/json"
        let body = JSONValue.object(["error": .object(["reason": .string(reason), "message": .string(message)])]).encoded()
        return reply(status, all, body: Array(body))
    }
}

/// A request the protocol refuses: status, stable reason, message, extra headers.
struct TusRefusal: Error {
    var status: Int
    var reason: String
    var message: String
    var headers: [String: String]

    init(_ status: Int, _ reason: String, _ message: String, _ headers: [String: String] = [:]) {
        self.status = status
        self.reason = reason
        self.message = message
        self.headers = headers
    }
}

/// Parsing of tus's headers (pure).
enum TusHeaders {
    /// `Upload-Metadata`: comma-separated `key base64value` pairs (a key alone has an empty value).
    static func metadata(_ header: String?) throws -> [String: String] {
        guard let header, !header.isEmpty else { return [:] }
        guard header.utf8.count <= 4096 else { throw TusRefusal(400, "invalid_metadata", "Upload-Metadata is too long") }
        var pairs: [String: String] = [:]
        for item in header.split(separator: ",") {
            let parts = item.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
            guard let key = parts.first, parts.count <= 2, pairs[String(key)] == nil else {
                throw TusRefusal(400, "invalid_metadata", "Upload-Metadata must be key base64 pairs with distinct keys")
            }
            if parts.count == 1 {
                pairs[String(key)] = ""
                continue
            }
            guard let data = Data(base64Encoded: String(parts[1])), let text = String(data: data, encoding: .utf8) else {
                throw TusRefusal(400, "invalid_metadata", "Upload-Metadata value of \(key) is not base64 UTF-8")
            }
            pairs[String(key)] = text
        }
        return pairs
    }

    /// The creation request's length: `Upload-Length`, or `nil` with `Upload-Defer-Length: 1`; exactly one of them.
    static func length(_ headers: [String: String]) throws -> Int64? {
        switch (headers["upload-length"], headers["upload-defer-length"]) {
        case (let text?, nil):
            guard let value = nonNegative(text) else { throw TusRefusal(400, "invalid_length", "Upload-Length must be a non-negative integer") }
            return value
        case (nil, "1"?): return nil
        default: throw TusRefusal(400, "invalid_length", "Send Upload-Length, or Upload-Defer-Length: 1")
        }
    }

    /// A non-negative decimal integer of at most 18 digits (no sign, no spaces).
    static func nonNegative(_ text: String) -> Int64? {
        guard (1...18).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text)
    }

    /// `Upload-Checksum: sha256 <base64>` against the body: 400 for another algorithm or bad base64, 460 on mismatch.
    static func verify(checksum header: String, body: [UInt8]) throws {
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "sha256" else {
            throw TusRefusal(400, "checksum_algorithm", "Upload-Checksum must be sha256 <base64>", ["Tus-Checksum-Algorithm": "sha256"])
        }
        guard let expected = Data(base64Encoded: String(parts[1])), expected.count == 32 else {
            throw TusRefusal(400, "checksum_algorithm", "Upload-Checksum's value must be a base64 SHA-256 digest")
        }
        guard Data(SHA256.hash(data: body)) == expected else { throw TusRefusal(460, "checksum_mismatch", "The body does not match Upload-Checksum") }
    }

    /// An IMF-fixdate (RFC 9110), as `Upload-Expires` wants.
    static func httpDate(_ instant: Instant) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: instant.date)
    }
}

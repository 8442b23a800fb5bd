import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import ObjectStorage
import PostgresAdapter
import PostgresNIO
import RecordingService
import Testing

/// `recordings.*` and the tus endpoint over a fresh, migrated PostgreSQL database (the real recording and room
/// stores), with upload staging and a directory object store in a temporary directory.
struct RecordingHarness: Sendable {
    let pool: PostgresPool
    let store: PostgresRecordingStore
    let rooms: PostgresRoomStore
    let staging: UploadStaging
    let objects: DirectoryObjectStore
    let tus: TusUploads
    let dispatcher: RPCDispatcher

    static func with(configuration: RecordingConfiguration = RecordingConfiguration(), _ body: (RecordingHarness) async throws -> Void) async throws {
        try await TestEnvironment.withFreshDatabase(migrated: true) { pool in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ml-rec-\(UUID().uuidString.prefix(8))").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let logger = TestEnvironment.logger
            let store = PostgresRecordingStore(pool: pool, logger: logger)
            let rooms = PostgresRoomStore(pool: pool, logger: logger)
            let staging = try UploadStaging(root: "\(directory)/uploads")
            try FileManager.default.createDirectory(atPath: "\(directory)/objects", withIntermediateDirectories: true)
            let objects = DirectoryObjectStore(root: "\(directory)/objects", secret: "test-secret")
            var registry = MethodRegistry()
            registry.mount(
                RecordingService(
                    store: store, rooms: rooms, objects: objects, bus: InMemoryEventBus(), audit: PostgresIdentityStore(pool: pool, logger: logger),
                    configuration: configuration, staging: staging))
            try await body(
                RecordingHarness(
                    pool: pool, store: store, rooms: rooms, staging: staging, objects: objects,
                    tus: TusUploads(store: store, rooms: rooms, staging: staging, configuration: configuration),
                    dispatcher: RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "t", version: "0"))))
        }
    }

    func user(_ role: RPCRole) async throws -> BookingHarness.User {
        try await BookingHarness.insertUser(role, name: "Rec \(role.rawValue)", on: pool.client)
    }

    /// A confirmed 1:1 booking (its room) from `startMinutes` to `endMinutes` from now (negative: in the past).
    func room(
        mentor: BookingHarness.User, mentee: BookingHarness.User, fromMinutes startMinutes: Int = -5, toMinutes endMinutes: Int = 55
    ) async throws
        -> UUID
    {
        let rows = try await pool.client.query(
            """
            INSERT INTO bookings (kind, mentor_id, mentee_id, starts_at, ends_at, blocked_from, blocked_until, status)
            VALUES ('one_on_one', \(mentor.id), \(mentee.id), now() + \(startMinutes) * interval '1 minute', now() + \(endMinutes) * interval '1 minute',
                    now() + \(startMinutes) * interval '1 minute', now() + \(endMinutes) * interval '1 minute', 'confirmed')
            RETURNING id
            """, logger: TestEnvironment.logger)
        for try await id in rows.decode(UUID.self) { return id }
        throw TestEnvironment.Missing(what: "booking")
    }

    /// A running recording of `room`, started by its mentor.
    func recording(_ room: UUID, mentor: BookingHarness.User) async throws -> Recording {
        try await store.start(roomId: room, mentorId: mentor.id, startedBy: mentor.id, auto: false, audit: nil).recording
    }

    /// A tus request as `user`.
    func tus(
        _ method: String, _ uploadId: String? = nil, _ headers: [String: String] = [:], body: [UInt8] = [], as user: BookingHarness.User
    ) async
        -> TusResponse
    {
        var all = headers
        all["tus-resumable"] = TusUploads.version
        return await tus.handle(TusRequest(method: method, uploadId: uploadId, headers: all, body: body, principal: user.principal))
    }

    /// Creates a track of `recording` (deferred length unless `length`); the response.
    func create(_ recording: UUID, as user: BookingHarness.User, length: Int64? = nil, extra: [String: String] = [:]) async -> TusResponse {
        var metadata =
            "recordingId \(Data(recording.uuidString.lowercased().utf8).base64EncodedString()),filetype \(Data("video/webm".utf8).base64EncodedString())"
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { metadata += ",\(key) \(Data(value.utf8).base64EncodedString())" }
        var headers = ["upload-metadata": metadata]
        if let length { headers["upload-length"] = String(length) } else { headers["upload-defer-length"] = "1" }
        return await tus("POST", nil, headers, as: user)
    }

    /// Appends `bytes` at `offset` of upload `id`.
    func patch(_ id: String, offset: Int64, _ bytes: [UInt8], length: Int64? = nil, as user: BookingHarness.User) async -> TusResponse {
        var headers = ["content-type": "application/offset+octet-stream", "upload-offset": String(offset)]
        if let length { headers["upload-length"] = String(length) }
        return await tus("PATCH", id, headers, body: bytes, as: user)
    }

    /// Calls a method as `user`.
    func call(_ method: String, _ params: String, as user: BookingHarness.User) async throws -> Outcome {
        let context = RPCContext(
            requestId: "t-\(UUID().uuidString.prefix(6))", logger: TestEnvironment.logger, principal: user.principal, clientAddress: "10.0.0.1",
            transport: .http, credentials: RequestCredentials(bearer: nil, cookies: [:], origin: nil))
        return try await dispatcher.call(method, params, context: context)
    }

    /// Runs SQL that returns nothing.
    func execute(_ query: PostgresQuery) async throws { _ = try await pool.client.query(query, logger: TestEnvironment.logger) }

    /// Counts rows for a query returning one integer.
    func count(_ query: PostgresQuery) async throws -> Int { try await pool.count(query) }
}

extension TusResponse {
    /// The upload's id from `Location` (`/uploads/<id>`).
    var uploadId: String? { headers["Location"].map { String($0.dropFirst("/uploads/".count)) } }

    /// The refusal's `error.reason`.
    var reason: String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        return (object["error"] as? [String: Any])?["reason"] as? String
    }
}

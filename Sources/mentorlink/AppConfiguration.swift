import Foundation
import JSONRPC
import Logging
import Server

/// Everything the process reads from its environment, read here and nowhere else.
///
/// | variable | default |
/// |---|---|
/// | `MENTORLINK_RUN_DIR` | `./.mentorlink` |
/// | `MENTORLINK_SCHEMA_DIR` | `./schema` |
/// | `MENTORLINK_PG_SOCKET` | `<run dir>/pg/.s.PGSQL.5432` |
/// | `PGUSER`, `PGDATABASE` | `mentorlink`, `mentorlink` |
/// | `REDIS_URL` | `unix://<run dir>/redis.sock` |
/// | `KAFKA_BROKERS` | the contents of `<run dir>/kafka.bootstrap` |
/// | `MENTORLINK_WORKERS` | number of cores |
/// | `MENTORLINK_ALLOWED_ORIGINS` | `http://127.0.0.1:8080,http://localhost:8080` |
/// | `MENTORLINK_MAX_BODY_BYTES`, `MENTORLINK_MAX_BATCH` | 1048576, 100 |
/// | `MENTORLINK_CALL_DEADLINE_MS` | 10000 (0: none) |
/// | `MENTORLINK_GIT_COMMIT` | unset |
/// | `MENTORLINK_SOCKET_GROUP` | unset (the group nginx runs as, set by the scripts when root) |
/// | `MENTORLINK_JWT_KEYS` | from `<run dir>/secrets.env` (written by the scripts); required by workers |
/// | `STRIPE_API_BASE`, `UPI_API_BASE` | `https://api.stripe.com`, `https://api.razorpay.com` (the scripts: `mentorlink dev-payments`) |
/// | `STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET` | from `secrets.env`; the webhook secret may list several, comma-separated (rotation) |
/// | `UPI_KEY_ID`, `UPI_KEY_SECRET`, `UPI_WEBHOOK_SECRET` | from `secrets.env` |
/// | `MENTORLINK_PLATFORM_FEE_PERCENT` | 10 |
/// | `MENTORLINK_COMPLETION_GRACE_SECONDS` | 3600 (how long after a session's end its escrow is released; the no-show report window) |
/// | `TURN_SECRET` | from `secrets.env` (coturn's `static-auth-secret`); `MENTORLINK_TURN_URLS` comma-separated, default 127.0.0.1:3478 |
/// | `MEDIA_SECRET` | from `secrets.env` (nginx's `secure_link_md5` secret for the directory object store's links) |
/// | `S3_ENDPOINT`, `S3_BUCKET`, `S3_REGION`, `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY` | unset: objects in `<run dir>/objects` |
/// | `MENTORLINK_RECORDING_RETENTION_DAYS` | 90 |
/// | `MENTORLINK_RECORDING_EMPTY_GRACE_SECONDS` | 20 (how long a room stays empty before its recording stops) |
/// | `MENTORLINK_RECORDING_MAX_TRACKS` | 20 (tracks per participant in one recording) |
/// | `MENTORLINK_RECORDING_MAX_TRACK_BYTES` | 4294967296 (a track's largest `Upload-Length`) |
/// | `MENTORLINK_JANUS_URL`, `MENTORLINK_JANUS_ADMIN_URL` | from `<run dir>/janus/endpoints.env` (written by the scripts); unset: no SFU, every room a mesh |
/// | `JANUS_TOKEN_SECRET`, `JANUS_ADMIN_KEY`, `JANUS_ADMIN_SECRET` | from `secrets.env`; the first two required with `MENTORLINK_JANUS_URL` |
/// | `MENTORLINK_SFU_ALL_GROUPS` | unset (`1`/`true`: every group session on the SFU, not only those beyond the mesh cap) |
/// | `MENTORLINK_MESH_CAP` | 6 (the most people in a mesh room, 2–16; a group that can hold more goes on the SFU) |
/// | `LOG_LEVEL` | `info` |
struct AppConfiguration: Sendable {
    var runDirectory: String
    var schemaDirectory: String
    var postgresSocket: String
    var postgresUser: String
    var postgresDatabase: String
    var redisURL: String
    var kafkaBrokers: String
    var workers: Int
    var allowedOrigins: Set<String>
    var limits: RPCLimits
    var gitCommit: String?
    var socketGroup: String?
    /// `MENTORLINK_JWT_KEYS`: `kid:base64secret[,kid:base64secret…]`, the first signs.
    var jwtKeys: [(kid: String, secret: [UInt8])]
    /// `MENTORLINK_RATE_LIMIT_SCALE`: multiplies every rate rule (benchmarks only; default 1).
    var rateLimitScale: Int
    var logLevel: Logger.Level
    /// Payment providers: API bases, keys and webhook secrets.
    var providers: ProviderSettings
    var platformFeePercent: Int
    /// `MENTORLINK_COMPLETION_GRACE_SECONDS`: see ``BookingConfiguration/completionGrace``.
    var completionGrace: Duration
    var turnSecret: String
    /// `SMTP_URL` (`smtp://host:port`): the email consumer sends through it; unset, it writes a Maildir spool.
    var smtpURL: String?
    var turnURLs: [String]
    /// `MEDIA_SECRET`: signs the directory object store's links (nginx `secure_link`).
    var mediaSecret: String
    /// `MENTORLINK_RECORDING_RETENTION_DAYS`: recordings older than this are deleted with their media.
    var recordingRetentionDays: Int
    /// `MENTORLINK_RECORDING_EMPTY_GRACE_SECONDS`: see ``RecordingConfiguration/emptyRoomGrace``.
    var recordingEmptyGrace: Duration
    /// `MENTORLINK_RECORDING_MAX_TRACKS`: see ``RecordingConfiguration/maxTracksPerParticipant``.
    var recordingMaxTracks: Int
    /// `MENTORLINK_RECORDING_MAX_TRACK_BYTES`: see ``RecordingConfiguration/maxTrackBytes``.
    var recordingMaxTrackBytes: Int64
    /// `MENTORLINK_SFU_ALL_GROUPS`: see ``RoomsConfiguration/sfuAllGroups``.
    var sfuAllGroups: Bool
    /// `MENTORLINK_MESH_CAP`: see ``RoomsConfiguration/meshCap``.
    var meshCap: Int
    /// Every variable, for the adapters that read their own (S3, Janus).
    var environment: [String: String]

    static func fromEnvironment(_ processEnvironment: [String: String] = ProcessInfo.processInfo.environment) -> AppConfiguration {
        let cwd = FileManager.default.currentDirectoryPath
        let runDirectory = processEnvironment["MENTORLINK_RUN_DIR"] ?? "\(cwd)/.mentorlink"
        // Secrets the scripts generate live in <run dir>/secrets.env, Janus's endpoints in <run dir>/janus/endpoints.env;
        // the process environment wins.
        let environment = secrets(at: "\(runDirectory)/secrets.env").merging(secrets(at: "\(runDirectory)/janus/endpoints.env")) { $1 }
            .merging(processEnvironment) { $1 }
        let bootstrapFile = "\(runDirectory)/kafka.bootstrap"
        let fileBrokers = (try? String(contentsOfFile: bootstrapFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let origins = environment["MENTORLINK_ALLOWED_ORIGINS"]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return AppConfiguration(
            runDirectory: runDirectory, schemaDirectory: environment["MENTORLINK_SCHEMA_DIR"] ?? "\(cwd)/schema",
            postgresSocket: environment["MENTORLINK_PG_SOCKET"] ?? "\(runDirectory)/pg/.s.PGSQL.5432",
            postgresUser: environment["PGUSER"] ?? "mentorlink", postgresDatabase: environment["PGDATABASE"] ?? "mentorlink",
            redisURL: environment["REDIS_URL"] ?? "unix://\(runDirectory)/redis.sock",
            kafkaBrokers: environment["KAFKA_BROKERS"] ?? fileBrokers ?? "127.0.0.1:9092",
            workers: environment["MENTORLINK_WORKERS"].flatMap(Int.init) ?? ProcessInfo.processInfo.activeProcessorCount,
            allowedOrigins: Set(origins ?? ["http://127.0.0.1:8080", "http://localhost:8080"]),
            limits: RPCLimits(
                maxBodyBytes: environment["MENTORLINK_MAX_BODY_BYTES"].flatMap(Int.init) ?? 1 << 20,
                maxBatchLength: environment["MENTORLINK_MAX_BATCH"].flatMap(Int.init) ?? 100,
                // 0 turns the deadline off.
                callDeadline: environment["MENTORLINK_CALL_DEADLINE_MS"].flatMap(Int.init).map { $0 > 0 ? .milliseconds($0) : nil } ?? .seconds(10)),
            gitCommit: environment["MENTORLINK_GIT_COMMIT"].flatMap { $0.isEmpty ? nil : $0 }, socketGroup: environment["MENTORLINK_SOCKET_GROUP"],
            jwtKeys: (environment["MENTORLINK_JWT_KEYS"] ?? "").split(separator: ",").compactMap { entry in
                let parts = entry.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let secret = Data(base64Encoded: String(parts[1])), secret.count >= 32 else { return nil }
                return (String(parts[0]), Array(secret))
            }, rateLimitScale: max(1, environment["MENTORLINK_RATE_LIMIT_SCALE"].flatMap(Int.init) ?? 1),
            logLevel: environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info, providers: ProviderSettings(environment),
            platformFeePercent: min(100, max(0, environment["MENTORLINK_PLATFORM_FEE_PERCENT"].flatMap(Int.init) ?? 10)),
            completionGrace: .seconds(max(0, environment["MENTORLINK_COMPLETION_GRACE_SECONDS"].flatMap(Int.init) ?? 3600)),
            turnSecret: environment["TURN_SECRET"] ?? "", smtpURL: environment["SMTP_URL"],
            turnURLs: (environment["MENTORLINK_TURN_URLS"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }, mediaSecret: environment["MEDIA_SECRET"] ?? "",
            recordingRetentionDays: max(1, environment["MENTORLINK_RECORDING_RETENTION_DAYS"].flatMap(Int.init) ?? 90),
            recordingEmptyGrace: .seconds(max(0, environment["MENTORLINK_RECORDING_EMPTY_GRACE_SECONDS"].flatMap(Int.init) ?? 20)),
            recordingMaxTracks: max(1, environment["MENTORLINK_RECORDING_MAX_TRACKS"].flatMap(Int.init) ?? 20),
            recordingMaxTrackBytes: max(1, environment["MENTORLINK_RECORDING_MAX_TRACK_BYTES"].flatMap(Int64.init) ?? 4 << 30),
            sfuAllGroups: ["1", "true", "yes"].contains(environment["MENTORLINK_SFU_ALL_GROUPS"]?.lowercased() ?? ""),
            meshCap: min(16, max(2, environment["MENTORLINK_MESH_CAP"].flatMap(Int.init) ?? 6)), environment: environment)
    }

    /// KEY=VALUE lines of a secrets file (missing file: none).
    static func secrets(at path: String) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        return values
    }

    func socketPath(worker index: Int) -> String { "\(runDirectory)/worker-\(index).sock" }

    /// Bootstraps JSON logging once per process and returns the root logger.
    func makeLogger(_ label: String) -> Logger {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}

/// Payment provider settings (production from the environment; locally `scripts/run` writes dev values).
struct ProviderSettings: Sendable {
    var stripeAPIBase: String
    var stripeSecretKey: String
    var stripeWebhookSecrets: [String]
    var upiAPIBase: String
    var upiKeyId: String
    var upiKeySecret: String
    var upiWebhookSecrets: [String]

    init(_ environment: [String: String]) {
        let list = { (name: String) in
            (environment[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        stripeAPIBase = environment["STRIPE_API_BASE"] ?? "https://api.stripe.com"
        stripeSecretKey = environment["STRIPE_SECRET_KEY"] ?? ""
        stripeWebhookSecrets = list("STRIPE_WEBHOOK_SECRET")
        upiAPIBase = environment["UPI_API_BASE"] ?? "https://api.razorpay.com"
        upiKeyId = environment["UPI_KEY_ID"] ?? ""
        upiKeySecret = environment["UPI_KEY_SECRET"] ?? ""
        upiWebhookSecrets = list("UPI_WEBHOOK_SECRET")
    }
}

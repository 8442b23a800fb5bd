import MentorLinkCore

/// Where the Janus SFU is and the secrets the backend holds for it.
///
/// The scripts start Janus with a private configuration and write these: `MENTORLINK_JANUS_URL` (the HTTP API,
/// `http://127.0.0.1:8088/janus` for scripts/run) and `MENTORLINK_JANUS_ADMIN_URL` into `<run dir>/janus/endpoints.env`
/// and the environment, `JANUS_TOKEN_SECRET`, `JANUS_ADMIN_KEY` and `JANUS_ADMIN_SECRET` into `<run dir>/secrets.env`.
public struct JanusConfiguration: Sendable {
    /// The HTTP API's base (`…/janus`), without a trailing `/`.
    public var url: String
    /// The admin API's base (`…/admin`); without it, ``JanusGateway/streams(room:participant:)`` is refused.
    public var adminURL: String?
    /// Janus's `token_auth_secret`: the HMAC-SHA1 key of its signed tokens.
    public var tokenSecret: String
    /// The VideoRoom plugin's `admin_key` (room creation, RTP forwarding); rooms' own secrets are derived from it.
    public var adminKey: String
    /// Janus's `admin_secret` (the admin API).
    public var adminSecret: String?
    /// Where Janus writes its own recordings of rooms (`rec_dir`, `MENTORLINK_JANUS_RECORDINGS_DIR`): the `.mjr`
    /// files the media pipeline falls back on for a participant whose upload never completed. Without it Janus
    /// records nothing.
    public var recordingsDirectory: String?
    /// How long one request may take: 5 s.
    public var requestTimeout: Duration
    /// The lifetime of the token the backend signs for its own requests: 60 s.
    public var serviceTokenLifetime: Int64

    public init(
        url: String, adminURL: String? = nil, tokenSecret: String, adminKey: String, adminSecret: String? = nil,
        recordingsDirectory: String? = nil, requestTimeout: Duration = .seconds(5), serviceTokenLifetime: Int64 = 60
    ) {
        self.recordingsDirectory = recordingsDirectory
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.adminURL = adminURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.tokenSecret = tokenSecret
        self.adminKey = adminKey
        self.adminSecret = adminSecret
        self.requestTimeout = requestTimeout
        self.serviceTokenLifetime = serviceTokenLifetime
    }

    /// The configuration `environment` describes, or nil when `MENTORLINK_JANUS_URL` is unset or empty (no SFU: group
    /// rooms stay on the mesh). Throws ``MentorLinkCore/SFUError/unavailable(_:)`` naming what is missing when the URL is
    /// set but `JANUS_TOKEN_SECRET` or `JANUS_ADMIN_KEY` is not.
    public static func fromEnvironment(_ environment: [String: String]) throws -> JanusConfiguration? {
        let value = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let url = value("MENTORLINK_JANUS_URL") else { return nil }
        guard let tokenSecret = value("JANUS_TOKEN_SECRET"), let adminKey = value("JANUS_ADMIN_KEY") else {
            let missing = ["JANUS_TOKEN_SECRET", "JANUS_ADMIN_KEY"].filter { value($0) == nil }
            throw SFUError.unavailable("MENTORLINK_JANUS_URL is set but \(missing.joined(separator: ", ")) is not")
        }
        return JanusConfiguration(
            url: url, adminURL: value("MENTORLINK_JANUS_ADMIN_URL"), tokenSecret: tokenSecret, adminKey: adminKey,
            adminSecret: value("JANUS_ADMIN_SECRET"), recordingsDirectory: value("MENTORLINK_JANUS_RECORDINGS_DIR"))
    }
}

public import AsyncHTTPClient
import Crypto
import Foundation
public import MentorLinkCore
import NIOCore

/// ``MentorLinkCore/SFUGateway`` on Janus's VideoRoom plugin, over Janus's HTTP API (AsyncHTTPClient).
///
/// Each operation is one short Janus session: `create` (with a service token the backend signs itself), `attach` to
/// the VideoRoom, the plugin's synchronous requests, then `destroy`; nothing to keep alive. Rooms are created with the
/// plugin's `admin_key`, a secret of their own derived from it (``roomSecret(_:)``: only the backend can destroy,
/// kick, moderate or switch the room's recording, `lock_record`), hidden from `list`, with the allow-list on (only tokens the
/// backend added join) and `require_pvtid` (only someone who joined may subscribe, and a kick ends their
/// subscriptions too). Published streams come from the admin API (``streams(room:participant:)``).
///
/// What Janus 1.1.2 does not lock: a participant admitted by the allow-list picks its own feed id at `join` (the
/// token is not bound to it), and `joinandconfigure` accepts `record` and `filename` without the secret despite
/// `lock_record`. So an admitted participant could publish under another's id (refused while that one is in the
/// room: ids are unique) or record itself; the media pipeline trusts Janus's files only for participants of the
/// recording who began an upload of their own. Closing this needs a signaling proxy in front of `/sfu` that fixes
/// the id to the token's participant and strips `record`/`filename` (not built).
public struct JanusGateway: SFUGateway, HealthCheck {
    public let configuration: JanusConfiguration
    let http: JanusHTTP

    /// A gateway over an HTTP client (`HTTPClient.shared` by default).
    public init(configuration: JanusConfiguration, httpClient: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = JanusHTTP(client: httpClient, timeout: TimeAmount(configuration.requestTimeout))
    }

    public var name: String { "janus" }

    /// Throws unless Janus answers `info` and accepts new sessions.
    public func check() async throws {
        let health = try await health()
        if !health.accepting { throw SFUError.unavailable("not accepting new sessions") }
    }

    public func health() async throws -> SFUHealth {
        let info = try await http.get("\(configuration.url)/info")
        return SFUHealth(
            name: info["name"] as? String ?? "", version: info["version_string"] as? String ?? "",
            accepting: info["accepting-new-sessions"] as? Bool ?? false)
    }

    public func accessToken(participant: String, expiresAt: Int64) throws -> String {
        try JanusToken.participant(participant, expiresAt: expiresAt, secret: configuration.tokenSecret)
    }

    /// The room's `secret`: base64url of HMAC-SHA256(admin key, `mentorlink.sfu.room:<id>`), so it is never stored
    /// and survives a restart of either side (rooms recreated after a Janus restart get the same one).
    public func roomSecret(_ id: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array("mentorlink.sfu.room:\(id)".utf8), using: SymmetricKey(data: Array(configuration.adminKey.utf8)))
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @discardableResult public func createRoom(_ room: SFURoom) async throws -> Bool {
        try Self.check(room.id)
        guard room.publishers > 0 else { throw SFUError.refused(code: 0, reason: "publishers must be positive") }
        var body: [String: any Sendable] = [
            "request": "create", "room": room.id, "admin_key": configuration.adminKey, "secret": roomSecret(room.id),
            "description": room.description.isEmpty ? room.id : room.description, "publishers": room.publishers, "is_private": true,
            "permanent": false, "allowed": room.allowed, "require_pvtid": true, "lock_record": true, "record": false,
        ]
        if let bitrate = room.bitrate { body["bitrate"] = bitrate }
        if let directory = configuration.recordingsDirectory { body["rec_dir"] = directory }
        return try await mapped(room: room.id) {
            do {
                _ = try await withVideoRoom { try await $0.request(body) }
                return true
            } catch JanusPluginError.code(427, _) { return false }
        }
    }

    @discardableResult public func destroyRoom(id: String) async throws -> Bool {
        try Self.check(id)
        return try await mapped(room: id) {
            do {
                _ = try await withVideoRoom {
                    try await $0.request(["request": "destroy", "room": id, "secret": roomSecret(id), "permanent": false])
                }
                return true
            } catch JanusPluginError.code(426, _) { return false }
        }
    }

    public func roomExists(id: String) async throws -> Bool {
        try Self.check(id)
        let answer = try await mapped(room: id) { try await withVideoRoom { try await $0.request(["request": "exists", "room": id]) } }
        return answer["exists"] as? Bool ?? false
    }

    /// The VideoRoom's `enable_recording` with the room's secret (`lock_record`): Janus records every
    /// publisher of the room into `.mjr` files under ``JanusConfiguration/recordingsDirectory`` while it is on. Refused
    /// (``MentorLinkCore/SFUError/refused(code:reason:)``) when no recordings directory is configured.
    public func setRecording(room: String, recording: Bool) async throws {
        try Self.check(room)
        guard configuration.recordingsDirectory != nil else { throw SFUError.refused(code: 0, reason: "no recordings directory") }
        _ = try await mapped(room: room) {
            try await withVideoRoom {
                try await $0.request(["request": "enable_recording", "room": room, "secret": roomSecret(room), "record": recording])
            }
        }
    }

    /// The VideoRoom's `list` with the admin key, which lists the private rooms (all of ours) too.
    public func listRooms() async throws -> [SFURoomListing] {
        let answer = try await mapped(room: "*") {
            try await withVideoRoom { try await $0.request(["request": "list", "admin_key": configuration.adminKey]) }
        }
        return (answer["list"] as? [[String: Any]] ?? []).compactMap { entry in
            (entry["room"] as? String).map { SFURoomListing(id: $0, recording: entry["record"] as? Bool ?? false) }
        }
    }

    public func allow(room: String, tokens: [String]) async throws { try await allowed(room: room, action: "add", tokens: tokens) }

    public func revoke(room: String, tokens: [String]) async throws { try await allowed(room: room, action: "remove", tokens: tokens) }

    func allowed(room: String, action: String, tokens: [String]) async throws {
        try Self.check(room)
        guard !tokens.isEmpty else { return }
        _ = try await mapped(room: room) {
            try await withVideoRoom {
                try await $0.request(["request": "allowed", "room": room, "secret": roomSecret(room), "action": action, "allowed": tokens])
            }
        }
    }

    public func participants(room: String) async throws -> [SFUParticipant] {
        try Self.check(room)
        let answer = try await mapped(room: room) { try await withVideoRoom { try await $0.request(["request": "listparticipants", "room": room]) } }
        return (answer["participants"] as? [[String: Any]] ?? []).compactMap { entry in
            guard let id = entry["id"] as? String else { return nil }
            return SFUParticipant(id: id, display: entry["display"] as? String, publishing: entry["publisher"] as? Bool ?? false)
        }
    }

    public func kick(room: String, participant: String) async throws {
        try Self.check(room, participant)
        _ = try await mapped(room: room, participant: participant) {
            try await withVideoRoom { try await $0.request(["request": "kick", "room": room, "id": participant, "secret": roomSecret(room)]) }
        }
    }

    public func moderate(room: String, participant: String, mid: String, mute: Bool) async throws {
        try Self.check(room, participant)
        _ = try await mapped(room: room, participant: participant) {
            try await withVideoRoom {
                try await $0.request(["request": "moderate", "room": room, "id": participant, "mid": mid, "mute": mute, "secret": roomSecret(room)])
            }
        }
    }

    static func check(_ ids: String...) throws {
        if let bad = ids.first(where: { !SFUIdentifier.isValid($0) }) { throw SFUError.invalidIdentifier(bad) }
    }

    /// The plugin's errors as ``MentorLinkCore/SFUError``: 426 no such room, 428 no such participant or stream.
    func mapped<T>(room: String, participant: String? = nil, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch JanusPluginError.code(let code, let reason) {
            switch code {
            case 426: throw SFUError.notFound("room \(room)")
            case 428: throw SFUError.notFound(participant.map { "participant \($0) or stream in room \(room)" } ?? reason)
            default: throw SFUError.refused(code: code, reason: reason)
            }
        }
    }

    /// Runs `body` on a VideoRoom handle of a new session, destroyed afterwards (Janus times it out in 60 s anyway if
    /// the destroy is lost). Plugin errors other than those the callers read are ``MentorLinkCore/SFUError/refused(code:reason:)``.
    func withVideoRoom<T>(_ body: (VideoRoomHandle) async throws -> T) async throws -> T {
        let token = try JanusToken.sign(
            expiresAt: Int64(Date().timeIntervalSince1970) + configuration.serviceTokenLifetime, descriptors: ["mentorlink=backend"],
            secret: configuration.tokenSecret)
        let created = try await http.post(configuration.url, ["janus": "create", "token": token])
        guard let session = JanusHTTP.integer((created["data"] as? [String: Any])?["id"]) else { throw SFUError.unavailable("no session id") }
        let sessionURL = "\(configuration.url)/\(session)"
        do {
            let attached = try await http.post(sessionURL, ["janus": "attach", "plugin": JanusToken.videoRoom, "token": token])
            guard let handle = JanusHTTP.integer((attached["data"] as? [String: Any])?["id"]) else { throw SFUError.unavailable("no handle id") }
            let result = try await body(VideoRoomHandle(http: http, url: "\(sessionURL)/\(handle)", token: token))
            _ = try? await http.post(sessionURL, ["janus": "destroy", "token": token])
            return result
        } catch {
            _ = try? await http.post(sessionURL, ["janus": "destroy", "token": token])
            throw error
        }
    }
}

/// A VideoRoom plugin error (`error_code` in the plugin's answer), before the gateway maps it.
enum JanusPluginError: Error { case code(Int, String) }

/// A handle attached to the VideoRoom plugin.
struct VideoRoomHandle: Sendable {
    let http: JanusHTTP
    let url: String
    let token: String

    /// Sends a synchronous plugin request; returns the plugin's data, or throws ``JanusPluginError`` with its error.
    func request(_ body: [String: any Sendable]) async throws -> [String: Any] {
        let answer = try await http.post(url, ["janus": "message", "token": token, "body": body])
        guard let data = (answer["plugindata"] as? [String: Any])?["data"] as? [String: Any] else {
            throw SFUError.unavailable("no plugin data in the answer to \(body["request"] ?? "")")
        }
        if let code = JanusHTTP.integer(data["error_code"]) { throw JanusPluginError.code(code, data["error"] as? String ?? "") }
        return data
    }
}

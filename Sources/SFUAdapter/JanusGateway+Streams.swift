import Foundation
public import MentorLinkCore

/// Published streams through Janus's admin API: the VideoRoom answers `listparticipants` without them, but a
/// publisher handle's `handle_info` lists each stream's `mid` and kind. The admin API is on loopback only, behind
/// `admin_secret`; finding the handle walks the sessions (`list_sessions`, `list_handles`), which is fine for the
/// occasional moderator action it serves.
extension JanusGateway {
    public func streams(room: String, participant: String) async throws -> [SFUStream] {
        try Self.check(room, participant)
        guard let admin = configuration.adminURL, let secret = configuration.adminSecret else {
            throw SFUError.refused(code: 0, reason: "no admin API configured (MENTORLINK_JANUS_ADMIN_URL, JANUS_ADMIN_SECRET)")
        }
        let sessions = try await http.post(admin, ["janus": "list_sessions", "admin_secret": secret])["sessions"] as? [Any] ?? []
        for session in sessions.compactMap(JanusHTTP.integer) {
            // A session or handle may end while we look: skip it.
            guard let listed = try? await http.post("\(admin)/\(session)", ["janus": "list_handles", "admin_secret": secret]) else { continue }
            for handle in (listed["handles"] as? [Any] ?? []).compactMap(JanusHTTP.integer) {
                guard
                    let answer = try? await http.post(
                        "\(admin)/\(session)/\(handle)", ["janus": "handle_info", "admin_secret": secret, "plugin_only": true]),
                    let info = answer["info"] as? [String: Any], let plugin = info["plugin_specific"] as? [String: Any],
                    plugin["type"] as? String == "publisher", plugin["room"] as? String == room, plugin["id"] as? String == participant
                else { continue }
                return (plugin["streams"] as? [[String: Any]] ?? []).compactMap { stream in
                    guard let mid = stream["mid"] as? String, let media = (stream["type"] as? String).flatMap(SFUMedia.init) else { return nil }
                    return SFUStream(mid: mid, media: media)
                }
            }
        }
        throw SFUError.notFound("participant \(participant) in room \(room)")
    }
}

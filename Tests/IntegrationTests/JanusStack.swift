import Foundation
import MentorLinkClient
import MentorLinkCore
import SFUAdapter

/// The Janus `scripts/test` started (`<run dir>/janus/endpoints.env`, secrets in `<run dir>/secrets.env`).
enum JanusStack {
    /// Whether Debian's janus is installed here; without it the SFU tests are skipped (the scripts start no SFU then).
    static var installed: Bool { ["/usr/bin/janus", "/usr/local/bin/janus"].contains { FileManager.default.isExecutableFile(atPath: $0) } }

    /// The run dir's endpoints and secrets, merged.
    static func environment() throws -> [String: String] {
        let directory = try TestEnvironment.runDirectory()
        let endpoints = "\(directory)/janus/endpoints.env"
        guard let text = try? String(contentsOfFile: endpoints, encoding: .utf8) else {
            throw TestEnvironment.Missing(what: "\(endpoints) (janus is installed but the stack did not start it)")
        }
        let secrets = try String(contentsOfFile: "\(directory)/secrets.env", encoding: .utf8)
        var environment: [String: String] = [:]
        for line in (text + "\n" + secrets).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return environment
    }

    static func configuration() throws -> JanusConfiguration {
        guard let configuration = try JanusConfiguration.fromEnvironment(try environment()) else {
            throw TestEnvironment.Missing(what: "MENTORLINK_JANUS_URL")
        }
        return configuration
    }

    static func gateway() throws -> JanusGateway { JanusGateway(configuration: try configuration()) }

    /// Janus's HTTP API as a socket endpoint (for ``JanusBrowser``).
    static func httpEndpoint() throws -> SocketConnection.Endpoint {
        let configuration = try configuration()
        guard let url = URLComponents(string: configuration.url), let host = url.host, let port = url.port.flatMap(UInt16.init) else {
            throw TestEnvironment.Missing(what: "a host and port in MENTORLINK_JANUS_URL")
        }
        return .tcp(host: host, port: port)
    }

    /// A fresh room id.
    static func roomId() -> String { "test-\(UUID().uuidString.lowercased())" }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }
}

/// What a browser does with Janus's HTTP API (the web app will speak the same over `/sfu`'s WebSocket): a session with
/// the participant's token, a VideoRoom handle, `join` as a publisher, `publish` an offer; events by long poll.
/// Blocking: run it off the pool. (`@unchecked Sendable`: each test hands it from one blocking call to the next,
/// never to two at once.)
final class JanusBrowser: @unchecked Sendable {
    let connection: HTTPConnection
    let token: String
    let session: Int
    let handle: Int

    /// Opens a session and attaches to the VideoRoom; throws ``Refused`` with Janus's error when the token is refused.
    init(token: String) throws {
        connection = try HTTPConnection(try JanusStack.httpEndpoint(), timeout: 40)
        self.token = token
        let created = try Self.post(connection, "/janus", ["janus": "create", "token": token])
        guard let session = (created["data"] as? [String: Any])?["id"] as? Int else { throw Refused(answer: created) }
        self.session = session
        let attached = try Self.post(connection, "/janus/\(session)", ["janus": "attach", "plugin": JanusToken.videoRoom, "token": token])
        guard let handle = (attached["data"] as? [String: Any])?["id"] as? Int else { throw Refused(answer: attached) }
        self.handle = handle
    }

    /// Janus's error answer (`{"janus":"error","error":{"code":403,…}}`).
    struct Refused: Error {
        var code: Int?
        init(answer: [String: Any]) { code = (answer["error"] as? [String: Any])?["code"] as? Int }
    }

    /// A session-creating request alone: 200 when Janus opened the session, else its error code (403 a refused token).
    static func create(token: String) throws -> Int {
        let connection = try HTTPConnection(try JanusStack.httpEndpoint())
        let answer = try post(connection, "/janus", ["janus": "create", "token": token])
        guard answer["janus"] as? String == "success" else { return (answer["error"] as? [String: Any])?["code"] as? Int ?? -1 }
        if let session = (answer["data"] as? [String: Any])?["id"] as? Int {
            _ = try? post(connection, "/janus/\(session)", ["janus": "destroy", "token": token])
        }
        return 200
    }

    static func post(_ connection: HTTPConnection, _ path: String, _ body: [String: Any]) throws -> [String: Any] {
        var body = body
        body["transaction"] = UUID().uuidString
        let reply = try connection.request(
            "POST", path, headers: ["Content-Type": "application/json"], body: Array(try JSONSerialization.data(withJSONObject: body)))
        return (try JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any] ?? [:]
    }

    /// The next event for this session whose plugin data is present (keep-alives skipped): the VideoRoom's data.
    func nextEvent() throws -> JanusEvent {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = token.addingPercentEncoding(withAllowedCharacters: allowed) ?? token
        for _ in 0..<3 {
            let reply = try connection.request("GET", "/janus/\(session)?maxev=1&token=\(query)")
            let object = (try JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any] ?? [:]
            if let data = (object["plugindata"] as? [String: Any])?["data"] as? [String: Any] { return JanusEvent(data) }
        }
        return JanusEvent([:])
    }

    /// A message to the VideoRoom handle (`jsep` for an offer); the immediate answer (an `ack` for asynchronous ones).
    @discardableResult func message(_ body: [String: Any], jsep: [String: Any]? = nil) throws -> [String: Any] {
        var request: [String: Any] = ["janus": "message", "token": token, "body": body]
        if let jsep { request["jsep"] = jsep }
        return try Self.post(connection, "/janus/\(session)/\(handle)", request)
    }

    /// Joins `room` as publisher `id` with `joinToken` (the allow-list's token); the `joined` event or the error.
    func join(room: String, id: String, joinToken: String? = nil) throws -> JanusEvent {
        try message(["request": "join", "ptype": "publisher", "room": room, "id": id, "display": id, "token": joinToken ?? token])
        return try nextEvent()
    }

    /// Publishes an audio (mid 0) and a video (mid 1) stream: an offer as a browser's, whose ICE never completes, which is
    /// enough for the VideoRoom to know the streams.
    func publish() throws -> JanusEvent {
        let media = { (kind: String, mid: Int, payload: String, ssrc: Int) in
            """
            m=\(kind) 9 UDP/TLS/RTP/SAVPF \(payload.split(separator: " ")[0])\r
            c=IN IP4 0.0.0.0\r
            a=rtcp:9 IN IP4 0.0.0.0\r
            a=ice-ufrag:mlte\r
            a=ice-pwd:mentorlinktestpassword01\r
            a=ice-options:trickle\r
            a=fingerprint:sha-256 A3:58:80:F3:C2:8F:52:E7:44:72:F0:A3:DE:EF:7C:F4:28:8A:7B:F8:CB:D4:C4:BF:01:A0:81:1F:59:49:4B:24\r
            a=setup:actpass\r
            a=mid:\(mid)\r
            a=sendonly\r
            a=msid:s \(kind)\r
            a=rtcp-mux\r
            a=rtpmap:\(payload)\r
            a=ssrc:\(ssrc) cname:c\r

            """
        }
        let sdp =
            "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=msid-semantic: WMS s\r\n"
            + media("audio", 0, "111 opus/48000/2", 1111) + media("video", 1, "96 VP8/90000", 2222)
        try message(["request": "publish"], jsep: ["type": "offer", "sdp": sdp])
        return try nextEvent()
    }

    /// Ends the session.
    func close() { _ = try? Self.post(connection, "/janus/\(session)", ["janus": "destroy", "token": token]) }
}

/// A VideoRoom event's scalar fields (`videoroom`, `error_code`, `leaving`, `reason`, `moderation`, `mid` …).
struct JanusEvent: Sendable {
    var strings: [String: String] = [:]
    var integers: [String: Int] = [:]

    init(_ data: [String: Any]) {
        for (key, value) in data {
            if let text = value as? String { strings[key] = text } else if let number = value as? Int { integers[key] = number }
        }
    }

    subscript(_ key: String) -> String? { strings[key] }
    var errorCode: Int? { integers["error_code"] }
}

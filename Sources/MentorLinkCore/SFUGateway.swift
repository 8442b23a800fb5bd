/// A room on the selective forwarding unit (a Janus VideoRoom), as the backend creates it.
public struct SFURoom: Sendable, Hashable {
    /// The room's id on the SFU (the MentorLink room id); ``SFUIdentifier/isValid(_:)``.
    public var id: String
    /// A name for logs and the SFU's own listings.
    public var description: String
    /// How many participants may publish media at once.
    public var publishers: Int
    /// The video bitrate each publisher is held to (bits per second), or the SFU's default.
    public var bitrate: Int?
    /// The access tokens that may join from the start (more are added with ``SFUGateway/allow(room:tokens:)``). The
    /// allow-list is always on: a room created with none admits nobody yet.
    public var allowed: [String]

    public init(id: String, description: String = "", publishers: Int, bitrate: Int? = nil, allowed: [String] = []) {
        self.id = id
        self.description = description
        self.publishers = publishers
        self.bitrate = bitrate
        self.allowed = allowed
    }
}

/// Someone in an SFU room (publishing or not yet).
public struct SFUParticipant: Sendable, Hashable {
    /// The id they joined with (the backend's participant id).
    public var id: String
    public var display: String?
    /// Whether their media is being published now.
    public var publishing: Bool

    public init(id: String, display: String? = nil, publishing: Bool) {
        self.id = id
        self.display = display
        self.publishing = publishing
    }
}

/// The kind of a published stream.
public enum SFUMedia: String, Sendable, Hashable { case audio, video, data }

/// One stream a participant publishes: its SDP `mid` and its kind.
public struct SFUStream: Sendable, Hashable {
    public var mid: String
    public var media: SFUMedia

    public init(mid: String, media: SFUMedia) {
        self.mid = mid
        self.media = media
    }
}

/// What the SFU says about itself.
public struct SFUHealth: Sendable, Hashable {
    /// `Janus WebRTC Server`.
    public var name: String
    /// `1.1.2`.
    public var version: String
    /// Whether it accepts new sessions now.
    public var accepting: Bool

    public init(name: String, version: String, accepting: Bool) {
        self.name = name
        self.version = version
        self.accepting = accepting
    }
}

/// Why an ``SFUGateway`` call failed.
public enum SFUError: Error, Equatable, CustomStringConvertible {
    /// The SFU cannot be reached or failed; the call may be retried (rooms may have to be recreated).
    case unavailable(String)
    /// No such room, participant or stream.
    case notFound(String)
    /// An id or token part is not one ``SFUIdentifier/isValid(_:)`` accepts.
    case invalidIdentifier(String)
    /// The SFU refused the request for good (a wrong key or secret, a malformed request): a configuration error.
    case refused(code: Int, reason: String)

    public var description: String {
        switch self {
        case .unavailable(let why): "SFU unavailable: \(why)"
        case .notFound(let what): "SFU has no \(what)"
        case .invalidIdentifier(let id): "invalid SFU identifier \(id)"
        case .refused(let code, let reason): "SFU refused (\(code)): \(reason)"
        }
    }
}

/// Room and participant ids on the SFU: 1–64 bytes of `A-Z a-z 0-9 _ . -` (UUIDs fit). They end up inside Janus's
/// signed tokens, whose fields are split on `,` and `:`, so nothing else is let through.
public enum SFUIdentifier {
    public static func isValid(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2E
                || byte == 0x2D
        }
    }
}

/// The selective forwarding unit group rooms use beyond the mesh (Janus's VideoRoom behind nginx's `/sfu`).
///
/// Only the backend creates, destroys and moderates rooms; browsers join with a per-participant ``accessToken(participant:expiresAt:)``
/// that the room's allow-list admits. Removing someone is ``revoke(room:tokens:)`` then ``kick(room:participant:)``: the
/// token no longer joins, and the media they send and receive stops. Errors are ``SFUError``.
public protocol SFUGateway: Sendable {
    /// Creates the room; `false` when one of this id exists already (it is left as it is).
    @discardableResult func createRoom(_ room: SFURoom) async throws -> Bool
    /// Destroys the room, disconnecting everyone in it; `false` when there was none.
    @discardableResult func destroyRoom(id: String) async throws -> Bool
    /// Whether the room exists (after a restart of the SFU, none does).
    func roomExists(id: String) async throws -> Bool
    /// Every room on the SFU (private ones included), in no particular order.
    func listRooms() async throws -> [SFURoomListing]
    /// Turns the SFU's own recording of the room on or off (every publisher, as long as it is on): the fallback for a
    /// participant whose own upload never completes.
    func setRecording(room: String, recording: Bool) async throws
    /// Adds tokens to the room's allow-list.
    func allow(room: String, tokens: [String]) async throws
    /// Takes tokens off the room's allow-list: they join no more (whoever is in stays until kicked).
    func revoke(room: String, tokens: [String]) async throws
    /// Who is in the room.
    func participants(room: String) async throws -> [SFUParticipant]
    /// Removes the participant from the room now; ``SFUError/notFound(_:)`` when they are not in it.
    func kick(room: String, participant: String) async throws
    /// The streams the participant publishes (none before they publish).
    func streams(room: String, participant: String) async throws -> [SFUStream]
    /// Mutes (or lifts the moderator's mute of) one published stream for every subscriber.
    func moderate(room: String, participant: String, mid: String, mute: Bool) async throws
    /// The token a participant's browser uses with the SFU until `expiresAt` (seconds since 1970). Minted locally
    /// (no request to the SFU); the same inputs give the same token.
    func accessToken(participant: String, expiresAt: Int64) throws -> String
    /// The SFU's name and version; ``SFUError/unavailable(_:)`` when it cannot be reached.
    func health() async throws -> SFUHealth
}

/// A room as the SFU lists it.
public struct SFURoomListing: Sendable, Hashable {
    public var id: String
    /// Whether the SFU records it now.
    public var recording: Bool

    public init(id: String, recording: Bool) {
        self.id = id
        self.recording = recording
    }
}

extension SFUGateway {
    /// The ids of every room on the SFU.
    public func roomIds() async throws -> [String] { try await listRooms().map(\.id) }

    /// Mutes (or unmutes) every stream of `media` the participant publishes; returns the mids it changed.
    @discardableResult public func mute(room: String, participant: String, media: SFUMedia, muted: Bool) async throws -> [String] {
        let mids = try await streams(room: room, participant: participant).filter { $0.media == media }.map(\.mid)
        for mid in mids { try await moderate(room: room, participant: participant, mid: mid, mute: muted) }
        return mids
    }
}

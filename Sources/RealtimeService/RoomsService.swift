public import Foundation
public import JSONRPC
public import MentorLinkCore
import ServiceSupport

/// `rooms.*`: a session room per booking with chat (persisted, numbered), presence, typing, WebRTC signaling relay,
/// TURN credentials, and the mentor's controls in group sessions.
///
/// Room channel `room:<id>` carries `presence.joined|left`, `chat.message`, `typing`, `participant.muted|removed`;
/// each participant's direct channel `room:<id>:user:<userId>` carries `signal` events meant for them only.
/// Participants may be in a room from ``RoomsConfiguration/joinEarly`` before the start until
/// ``RoomsConfiguration/stayLate`` after the end.
///
/// Topology: 1:1 rooms and group sessions whose seats and mentor fit ``RoomsConfiguration/meshCap`` are a browser
/// mesh; a bigger group session (or every group, ``RoomsConfiguration/sfuAllGroups``) goes on the SFU when there is
/// one: `rooms.join` ensures its room there, allows the participant's token (expiring when the room closes) and
/// returns where to join; `rooms.remove` revokes that token and kicks them, `rooms.mute` moderates their streams.
public struct RoomsService: RPCService {
    let rooms: any RoomStore
    let presence: any Presence
    let bus: any EventBus
    let subscriptions: Subscriptions
    let configuration: RoomsConfiguration
    /// Told when a participant's last session leaves a room (it acts on rooms that stay empty).
    let emptyRooms: EmptyRooms?
    /// The SFU for group sessions beyond the mesh; `nil`: every room is a mesh.
    let sfu: (any SFUGateway)?
    /// Turns the SFU's own recording of a new room on when its recording runs.
    let recordingSwitch: SFURecordingSwitch?

    /// Creates the service; `emptyRooms` hears of each participant's last departure from a room; `sfu` carries the
    /// group sessions the mesh cannot.
    public init(
        rooms: any RoomStore, presence: any Presence, bus: any EventBus, subscriptions: Subscriptions, configuration: RoomsConfiguration,
        emptyRooms: EmptyRooms? = nil, sfu: (any SFUGateway)? = nil, recordingSwitch: SFURecordingSwitch? = nil
    ) {
        self.recordingSwitch = recordingSwitch
        self.emptyRooms = emptyRooms
        self.sfu = sfu
        self.rooms = rooms
        self.presence = presence
        self.bus = bus
        self.subscriptions = subscriptions
        self.configuration = configuration
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register("rooms.join", summary: "Enter a session's room on this WebSocket.", access: .authenticated, handler: join)
        registry.register("rooms.send", summary: "Send a chat message.", access: .authenticated, rateLimit: .chat, handler: send)
        registry.register("rooms.history", summary: "Earlier chat messages, newest first.", access: .authenticated, handler: history)
        registry.register("rooms.typing", summary: "Tell the room you are typing.", access: .authenticated, rateLimit: .chat, handler: typing)
        registry.register(
            "rooms.signal", summary: "Relay a WebRTC offer, answer, candidate or bye to one participant.", access: .authenticated, rateLimit: .chat,
            handler: signal)
        registry.register("rooms.mute", summary: "Mute a participant (the group's mentor).", access: .authenticated, handler: mute)
        registry.register("rooms.remove", summary: "Remove a participant (the group's mentor).", access: .authenticated, handler: remove)
    }

    // MARK: Types

    public struct JoinParams: Codable, Sendable { public var bookingId: UUID }
    public struct RoomParams: Codable, Sendable { public var roomId: UUID }
    public struct SendParams: Codable, Sendable {
        public var roomId: UUID
        public var text: String
    }
    public struct HistoryParams: Codable, Sendable {
        public var roomId: UUID
        public var beforeSeq: Int64?
        public var limit: Int?
    }
    public struct SignalParams: Codable, Sendable {
        public var roomId: UUID
        public var to: UUID
        public var payload: JSONValue
    }
    public struct UserParams: Codable, Sendable {
        public var roomId: UUID
        public var userId: UUID
    }

    public struct Room: Codable, Sendable {
        public var id: UUID
        public var bookingId: UUID
        public var kind: String
        public var startsAt: Instant
        public var endsAt: Instant
    }

    public struct Participant: Codable, Sendable {
        public var userId: UUID
        public var role: String
        public var online: Bool
    }

    public struct IceServer: Codable, Sendable {
        public var urls: [String]
        public var username: String?
        public var credential: String?
    }

    /// Where and how a participant joins the room's SFU room (Janus's VideoRoom over its WebSocket API).
    public struct SFUAccess: Codable, Sendable {
        /// The WebSocket's path (`/sfu`, proxied by nginx).
        public var url: String
        /// The VideoRoom's room id (a string).
        public var room: String
        /// Janus's signed token for this participant, on the room's allow-list until they are removed or the room closes.
        public var token: String
        /// The id to join the VideoRoom with (the user's id).
        public var participantId: String
        /// When the token expires (the room's closing time).
        public var expiresAt: Instant
    }

    public struct JoinResult: Codable, Sendable {
        public var room: Room
        public var participants: [Participant]
        public var subscription: String
        /// Your direct channel's subscription (signals addressed to you).
        public var directSubscription: String
        public var seq: Int64
        public var iceServers: [IceServer]
        public var meshCap: Int
        /// `mesh` (peer connections signaled over `rooms.signal`) or `sfu` (publish and subscribe on ``sfu``).
        public var topology: String
        /// Only when ``topology`` is `sfu`.
        public var sfu: SFUAccess?
    }

    public struct MessageResult: Codable, Sendable { public var message: ChatMessage }
    public struct HistoryResult: Codable, Sendable {
        public var items: [ChatMessage]
        public var nextBeforeSeq: Int64?
    }
    public struct OkResult: Codable, Sendable { public var ok: Bool }

    // MARK: Handlers

    func join(_ params: JoinParams, _ context: RPCContext) async throws -> JoinResult {
        guard let session = context.session else { throw RealtimeError.webSocketRequired }
        let (user, room) = try await access(context, roomId: params.bookingId, .enter)
        let channel = Channels.room(room.id)
        let me = user.uuidString.lowercased()
        // On the SFU, its room and the participant's token come first: when the SFU is down, nothing is left behind.
        let sfuAccess = usesSFU(room) ? try await admit(user, to: room) : nil
        // The room's subscriptions on this connection are one scope: a second join replaces the first.
        if subscriptions.hasScope(sessionId: session.id, scope: channel) {
            await subscriptions.endScope(sessionId: session.id, scope: channel, reason: "rejoined")
        }
        let subscribed = try await subscriptions.subscribe(
            context, channel: channel, sinceSeq: nil, scope: channel, endsScope: { Self.isRemoval(of: me, $0) })
        let direct: Subscriptions.Subscribed
        do {
            direct = try await subscriptions.subscribe(context, channel: Channels.room(room.id, user: user), sinceSeq: nil, scope: channel)
            // A removal published before the room channel's listener was confirmed is caught here.
            if try await presence.status(room: room.id, user: user).removed { throw RealtimeError.forbidden("you were removed from this room") }
        } catch {
            await subscriptions.endScope(sessionId: session.id, scope: channel, reason: nil)
            throw error
        }
        let entered = try await presence.enter(room: room.id, user: user)
        if entered { try await publish(room.id, ["type": .string("presence.joined"), "userId": .string(me)]) }
        // While joined, the access check is repeated: a cancelled seat, a removal missed on the bus or the room's
        // closing time ends the room's subscriptions on this connection.
        let recheck = configuration.membershipRecheck
        let subscriptions = self.subscriptions
        let service = self
        let sessionId = session.id
        let watcher = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: recheck)
                if Task.isCancelled { return }
                do { _ = try await service.access(context, roomId: params.bookingId, .enter) } catch let error as RealtimeError {
                    await subscriptions.endScope(sessionId: sessionId, scope: channel, reason: error.rpcError.reason ?? "forbidden")
                    // A cancelled seat or a closed room: the SFU admits them no more either (best effort).
                    if sfuAccess != nil { try? await service.evict(user, from: room) }
                    return
                } catch {
                    continue  // a dependency that is down is no verdict; ask again next time
                }
            }
        }
        let presence = self.presence
        let bus = self.bus
        let emptyRooms = self.emptyRooms
        await subscriptions.onScopeEnd(session, scope: channel) {
            watcher.cancel()
            if (try? await presence.leave(room: room.id, user: user)) == true {
                let event = JSONValue.object(["type": .string("presence.left"), "userId": .string(me)])
                _ = try? await bus.publish(channel: channel, event: Array(event.encoded()))
                await emptyRooms?.left(room: room.id)
            }
        }
        let online = Set(try await presence.present(room: room.id))
        let participants = room.participantIds.map { id in
            Participant(userId: id, role: id == room.mentorId ? "mentor" : "mentee", online: online.contains(id))
        }
        var ice = [IceServer(urls: configuration.turnURLs.filter { $0.hasPrefix("stun:") }, username: nil, credential: nil)]
        if !configuration.turnSecret.isEmpty {
            // Bound to this room and its window: they expire when the room closes (at most turnLifetime from now).
            let expiry = TurnCredentials.expiry(closes: closes(room).date, now: configuration.now().date, cap: configuration.turnLifetime)
            let (username, credential) = TurnCredentials.make(
                roomId: room.id.uuidString.lowercased(), userId: me, expiry: expiry, secret: configuration.turnSecret)
            ice.append(IceServer(urls: configuration.turnURLs.filter { $0.hasPrefix("turn") }, username: username, credential: credential))
        }
        return JoinResult(
            room: Room(id: room.id, bookingId: params.bookingId, kind: room.kind, startsAt: room.startsAt, endsAt: room.endsAt),
            participants: participants, subscription: subscribed.subscription, directSubscription: direct.subscription, seq: subscribed.seq,
            iceServers: ice, meshCap: configuration.meshCap, topology: sfuAccess == nil ? "mesh" : "sfu", sfu: sfuAccess)
    }

    func send(_ params: SendParams, _ context: RPCContext) async throws -> MessageResult {
        let text = params.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...configuration.maxMessageLength).contains(text.count) else {
            throw RealtimeError.invalid([FieldProblem(field: "text", problem: "1 to \(configuration.maxMessageLength) characters")])
        }
        let (user, room) = try await access(context, roomId: params.roomId, .speak)
        let message = try await rooms.append(roomId: room.id, senderId: user, text: text)
        let encoded = try JSONValue(decoding: JSONEncoder().encode(message))
        try await publish(room.id, ["type": .string("chat.message"), "message": encoded])
        return MessageResult(message: message)
    }

    func history(_ params: HistoryParams, _ context: RPCContext) async throws -> HistoryResult {
        let limit = params.limit ?? 50
        guard (1...200).contains(limit) else { throw RealtimeError.invalid([FieldProblem(field: "limit", problem: "1 to 200")]) }
        let (_, room) = try await access(context, roomId: params.roomId, .read)
        let items = try await rooms.messages(roomId: room.id, beforeSeq: params.beforeSeq, limit: limit)
        return HistoryResult(items: items, nextBeforeSeq: items.count == limit ? items.last?.seq : nil)
    }

    func typing(_ params: RoomParams, _ context: RPCContext) async throws -> OkResult {
        let (user, room) = try await access(context, roomId: params.roomId, .speak)
        try await publish(room.id, ["type": .string("typing"), "userId": .string(user.uuidString.lowercased())])
        return OkResult(ok: true)
    }

    func signal(_ params: SignalParams, _ context: RPCContext) async throws -> OkResult {
        guard case .object(let payload) = params.payload, case .string(let type)? = payload["type"],
            ["offer", "answer", "candidate", "bye"].contains(type)
        else { throw RealtimeError.invalid([FieldProblem(field: "payload.type", problem: "offer, answer, candidate or bye")]) }
        let (user, room) = try await access(context, roomId: params.roomId, type == "offer" ? .offer : .signal)
        guard room.participantIds.contains(params.to), params.to != user else {
            throw RealtimeError.invalid([FieldProblem(field: "to", problem: "another participant of the room")])
        }
        let event = JSONValue.object(["type": .string("signal"), "from": .string(user.uuidString.lowercased()), "payload": params.payload])
        let bytes = Array(event.encoded())
        guard bytes.count <= configuration.maxSignalBytes else {
            throw RealtimeError.invalid([FieldProblem(field: "payload", problem: "at most \(configuration.maxSignalBytes) bytes")])
        }
        if type == "offer", try await presence.present(room: room.id).count > configuration.meshCap {
            throw RealtimeError.meshFull(configuration.meshCap)
        }
        try await bus.publish(channel: Channels.room(room.id, user: params.to), event: bytes)
        return OkResult(ok: true)
    }

    func mute(_ params: UserParams, _ context: RPCContext) async throws -> OkResult {
        let room = try await moderated(context, roomId: params.roomId, target: params.userId)
        try await presence.mute(room: room.id, user: params.userId)
        try await publish(room.id, ["type": .string("participant.muted"), "userId": .string(params.userId.uuidString.lowercased())])
        if usesSFU(room), let sfu {
            // Best effort: their published audio and video stop reaching the others (nothing when not publishing).
            let id = params.userId.uuidString.lowercased()
            for media in [SFUMedia.audio, .video] {
                _ = try? await sfu.mute(room: Self.sfuRoomId(room), participant: id, media: media, muted: true)
            }
        }
        return OkResult(ok: true)
    }

    /// Marks the participant removed (every later access check refuses them), then publishes `participant.removed`
    /// on the room's channel: each worker's subscriptions of that user in the room end on it. In an SFU room their
    /// token is revoked and they are kicked, so their media stops at once; when the SFU cannot be reached the call
    /// answers `unavailable` (the removal stands; a retry finishes it).
    func remove(_ params: UserParams, _ context: RPCContext) async throws -> OkResult {
        let room = try await moderated(context, roomId: params.roomId, target: params.userId)
        try await presence.remove(room: room.id, user: params.userId)
        try await publish(room.id, ["type": .string("participant.removed"), "userId": .string(params.userId.uuidString.lowercased())])
        if usesSFU(room) { try await evict(params.userId, from: room) }
        return OkResult(ok: true)
    }

    // MARK: SFU

    /// Whether the room goes on the SFU: a group session bigger than the mesh (its seats and the mentor), or any
    /// group with ``RoomsConfiguration/sfuAllGroups``, when there is an SFU.
    func usesSFU(_ room: RoomInfo) -> Bool { sfu != nil && configuration.usesSFU(room) }

    /// The room's id on the SFU.
    static func sfuRoomId(_ room: RoomInfo) -> String { room.id.uuidString.lowercased() }

    /// Ensures the room exists on the SFU (recreated after a restart of it) and allows the participant's token, which
    /// expires when the room closes.
    func admit(_ user: UUID, to room: RoomInfo) async throws -> SFUAccess {
        guard let sfu else { throw RealtimeError.sfuUnavailable("no SFU") }
        let id = Self.sfuRoomId(room)
        let participant = user.uuidString.lowercased()
        let expiresAt = closes(room)
        do {
            let token = try sfu.accessToken(participant: participant, expiresAt: expiresAt.epochSeconds)
            let created = try await sfu.createRoom(
                SFURoom(id: id, description: "MentorLink group \(id)", publishers: RoomsConfiguration.people(room)))
            // A new room (the first join, or Janus restarted) records from the start when its recording runs.
            if created, let recordingSwitch { await recordingSwitch.created(room) }
            try await sfu.allow(room: id, tokens: [token])
            return SFUAccess(url: configuration.sfuURL, room: id, token: token, participantId: participant, expiresAt: expiresAt)
        } catch let error as SFUError {
            throw RealtimeError.sfuUnavailable(error.description)
        }
    }

    /// Revokes the participant's token in the room and kicks them from it (someone not in it, or a room the SFU lost,
    /// is no failure).
    func evict(_ user: UUID, from room: RoomInfo) async throws {
        guard let sfu else { return }
        let id = Self.sfuRoomId(room)
        let participant = user.uuidString.lowercased()
        do {
            let token = try sfu.accessToken(participant: participant, expiresAt: closes(room).epochSeconds)
            do { try await sfu.revoke(room: id, tokens: [token]) } catch SFUError.notFound(_) {}
            do { try await sfu.kick(room: id, participant: participant) } catch SFUError.notFound(_) {}
        } catch let error as SFUError {
            throw RealtimeError.sfuUnavailable(error.description)
        }
    }

    // MARK: Rules

    /// Whether `event` (on a room's channel) removes `user`.
    static func isRemoval(of user: String, _ event: ChannelEvent) -> Bool {
        guard event.event.count <= 4096, String(decoding: event.event, as: UTF8.self).contains("participant.removed"),
            let value = try? JSONValue(decoding: Data(event.event)), case .object(let object) = value,
            case .string("participant.removed")? = object["type"], case .string(let removed)? = object["userId"]
        else { return false }
        return removed == user
    }

    func publish(_ room: UUID, _ event: [String: JSONValue]) async throws {
        try await bus.publish(channel: Channels.room(room), event: Array(JSONValue.object(event).encoded()))
    }

    /// When the room closes: its end plus ``RoomsConfiguration/stayLate``.
    func closes(_ room: RoomInfo) -> Instant { configuration.closes(room) }

    /// What a room method needs of its caller.
    enum Need {
        /// Read the transcript: a participant who was not removed.
        case read
        /// Be in the room (join, and staying joined): also inside the room's time window.
        case enter
        /// Chat and typing: also not muted.
        case speak
        /// Answer, candidate, bye: like ``enter`` (a muted participant may still receive the others' media).
        case signal
        /// Start a call (offer): also not muted.
        case offer
        /// Mute and remove: the group session's mentor.
        case moderate
    }

    /// The one access check every room method (and a joined connection, again and again) goes through: the caller,
    /// the room (a confirmed booking, group session or seat), participation, and for `need` the time window, removal
    /// and mute.
    func access(_ context: RPCContext, roomId: UUID, _ need: Need) async throws -> (user: UUID, room: RoomInfo) {
        let user = try context.caller().id
        guard let room = try await rooms.room(bookingId: roomId) else { throw RealtimeError.roomNotFound }
        guard room.participantIds.contains(user) else { throw RealtimeError.forbidden("not a participant of this session") }
        if case .moderate = need {
            guard room.kind == "group", room.mentorId == user else {
                throw RealtimeError.forbidden("only the mentor of a group session moderates it")
            }
            return (user, room)
        }
        if case .read = need {
        } else {
            let now = configuration.now()
            let opens = room.startsAt.adding(seconds: -Int(configuration.joinEarly.components.seconds))
            let closes = closes(room)
            guard now >= opens, now < closes else { throw RealtimeError.roomClosed(opens: opens, closes: closes) }
        }
        let status = try await presence.status(room: room.id, user: user)
        if status.removed { throw RealtimeError.forbidden("you were removed from this room") }
        switch need {
        case .speak, .offer: if status.muted { throw RealtimeError.muted }
        case .read, .enter, .signal, .moderate: break
        }
        return (user, room)
    }

    /// The room, when the caller is its group session's mentor and the target a participant.
    func moderated(_ context: RPCContext, roomId: UUID, target: UUID) async throws -> RoomInfo {
        let (user, room) = try await access(context, roomId: roomId, .moderate)
        guard target != user, room.participantIds.contains(target) else {
            throw RealtimeError.invalid([FieldProblem(field: "userId", problem: "a participant other than yourself")])
        }
        return room
    }
}

extension JSONValue {
    /// Parses JSON bytes into a value.
    init(decoding data: Data) throws { self = try JSONDecoder().decode(JSONValue.self, from: data) }
}

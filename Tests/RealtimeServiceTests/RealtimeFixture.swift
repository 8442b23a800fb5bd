import Foundation
import JSONRPC
import Logging
import MentorLinkCore
import MentorLinkTesting
import RealtimeService
import ServiceSupport
import Synchronization
import Testing

/// The realtime and rooms services on the in-memory ports, called through the dispatcher on test sessions. Two
/// ``Subscriptions`` registries over one bus stand for two workers sharing Redis.
struct RealtimeFixture: Sendable {
    let clock: TestClock
    let bus: InMemoryEventBus
    let presence: InMemoryPresence
    let rooms: InMemoryRoomStore
    let notifications: InMemoryNotificationStore
    let workers: [RPCDispatcher]
    let subscriptions: [Subscriptions]
    /// With an empty-room grace: what the rooms services tell of departures, and the rooms it acted on.
    let emptyRooms: EmptyRooms?
    let emptied: EmptiedRooms

    /// The rooms ``EmptyRooms`` acted on, in order.
    final class EmptiedRooms: Sendable {
        private let rooms = Mutex<[UUID]>([])
        func append(_ room: UUID) { rooms.withLock { $0.append(room) } }
        var all: [UUID] { rooms.withLock { $0 } }
    }

    static let start = Instant(iso8601: "2027-05-03T06:00:00Z")!

    /// The rooms whose recording runs, as the SFU recording switch sees it.
    let recording = RunningRecordings()
    /// The SFU recording switch (with an SFU).
    let recordingSwitch: SFURecordingSwitch?

    init(emptyGrace: Duration? = nil, sfu: InMemorySFU? = nil, configure: (inout RoomsConfiguration) -> Void = { _ in }) {
        let clock = TestClock(Self.start)
        let bus = InMemoryEventBus()
        let presence = InMemoryPresence()
        let rooms = InMemoryRoomStore(now: { clock.now })
        let notifications = InMemoryNotificationStore(now: { clock.now })
        var configuration = RoomsConfiguration()
        configuration.now = { clock.now }
        configure(&configuration)
        let cursors = CursorCodec.random()
        let emptied = EmptiedRooms()
        let emptyRooms = emptyGrace.map { grace in EmptyRooms(presence: presence, grace: grace) { emptied.append($0) } }
        let recording = self.recording
        let recordingSwitch = sfu.map {
            SFURecordingSwitch(
                sfu: $0, rooms: rooms, configuration: configuration, isRecording: { recording.contains($0) },
                logger: Logger(label: "test"))
        }
        self.recordingSwitch = recordingSwitch
        var workers: [RPCDispatcher] = []
        var registries: [Subscriptions] = []
        for _ in 0..<2 {
            let subscriptions = Subscriptions(bus: bus, limit: 5)
            var registry = MethodRegistry()
            registry.mount(SystemService(version: "test", gitCommit: nil))
            registry.mount(RealtimeService(subscriptions: subscriptions, store: notifications, cursors: cursors))
            registry.mount(
                RoomsService(
                    rooms: rooms, presence: presence, bus: bus, subscriptions: subscriptions, configuration: configuration, emptyRooms: emptyRooms,
                    sfu: sfu, recordingSwitch: recordingSwitch))
            workers.append(RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "t", version: "0")))
            registries.append(subscriptions)
        }
        self.clock = clock
        self.bus = bus
        self.presence = presence
        self.rooms = rooms
        self.notifications = notifications
        self.workers = workers
        self.subscriptions = registries
        self.emptyRooms = emptyRooms
        self.emptied = emptied
    }

    /// A signed-in caller with a session id, as a token would give.
    static func user(_ role: Role) -> Caller { Caller(id: UUID(), roles: [role], sessionId: UUID()) }

    /// Calls on worker `worker` (0 or 1), over the WebSocket `session` when there is one.
    func call(_ method: String, _ params: String = "{}", as caller: Caller?, on session: TestSession? = nil, worker: Int = 0) async throws -> Outcome
    { try await workers[worker % workers.count].call(method, params, as: caller, transport: session == nil ? .http : .webSocket, session: session) }

    /// A confirmed 1:1 booking that starts in `minutes` and lasts an hour.
    func booking(mentor: Caller, mentee: Caller, inMinutes minutes: Int = 5) -> UUID {
        rooms.addOneOnOne(
            mentor: mentor.id, mentee: mentee.id, startsAt: clock.now.adding(minutes: minutes), endsAt: clock.now.adding(minutes: minutes + 60))
    }

    /// A confirmed group session starting in 5 minutes with a seat per mentee, of `capacity` seats (default: as many).
    func group(mentor: Caller, mentees: [Caller], capacity: Int? = nil) -> (id: UUID, seats: [UUID: UUID]) {
        rooms.addGroup(
            mentor: mentor.id, mentees: mentees.map(\.id), startsAt: clock.now.adding(minutes: 5), endsAt: clock.now.adding(minutes: 65),
            capacity: capacity)
    }

    /// Waits (briefly) until `condition` holds: for what a background task (a scope's end) does after a call returns.
    func eventually(_ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await Self.eventually(condition, sourceLocation: sourceLocation)
    }

    /// Polls `condition` until it holds; an issue after 30 s (a generous bound: CI runs the whole suite at once on 2
    /// cores, where a test took 30 s; a condition that holds returns at once).
    static func eventually(_ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition not met within 30 s", sourceLocation: sourceLocation)
    }
}

/// Room ids whose recording runs (set by a test).
final class RunningRecordings: Sendable {
    private let ids = Mutex(Set<UUID>())
    func set(_ id: UUID, _ running: Bool) { ids.withLock { _ = running ? $0.insert(id).inserted : $0.remove(id) != nil } }
    func contains(_ id: UUID) -> Bool { ids.withLock { $0.contains(id) } }
}

extension Caller {
    /// The id as the services spell it in events.
    var wire: String { id.uuidString.lowercased() }
}

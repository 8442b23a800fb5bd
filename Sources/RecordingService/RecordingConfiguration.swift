/// The recording service's settings.
public struct RecordingConfiguration: Sendable {
    /// How long signed links to outputs stay valid.
    public var linkSeconds: Int
    /// How long a stopped recording waits for its tracks' last bytes before it is processed without them.
    public var finalizeWithin: Duration
    /// How long an upload stays resumable after its last PATCH (tus expiration).
    public var uploadExpirySeconds: Int
    /// The largest track (tus `Tus-Max-Size`): a larger declared `Upload-Length`, or a deferred one growing past it, is 413.
    public var maxTrackBytes: Int64
    /// The largest PATCH body (nginx caps it too).
    public var maxChunkBytes: Int
    /// The MIME types a track may declare (`filetype`), without parameters.
    public var allowedTypes: Set<String>
    /// How many tracks one participant may create in one recording (each reload of the room's page starts one).
    public var maxTracksPerParticipant: Int
    /// How long a room stays empty before its recording stops by itself (a reload within it does not stop it).
    public var emptyRoomGrace: Duration

    /// The defaults: 10-minute links, 15 minutes to finalize, 24 hours to resume, 4 GiB tracks, 16 MiB chunks, WebM,
    /// 20 tracks per participant, 20 seconds of an empty room.
    public init(
        linkSeconds: Int = 600, finalizeWithin: Duration = .seconds(900), uploadExpirySeconds: Int = 86_400, maxTrackBytes: Int64 = 4 << 30,
        maxChunkBytes: Int = 16 << 20, allowedTypes: Set<String> = ["video/webm", "audio/webm"], maxTracksPerParticipant: Int = 20,
        emptyRoomGrace: Duration = .seconds(20)
    ) {
        self.linkSeconds = linkSeconds
        self.finalizeWithin = finalizeWithin
        self.uploadExpirySeconds = uploadExpirySeconds
        self.maxTrackBytes = maxTrackBytes
        self.maxChunkBytes = maxChunkBytes
        self.allowedTypes = allowedTypes
        self.maxTracksPerParticipant = maxTracksPerParticipant
        self.emptyRoomGrace = emptyRoomGrace
    }
}

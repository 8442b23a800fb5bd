/// The recording service's settings.
public struct RecordingConfiguration: Sendable {
    /// How long signed links to outputs stay valid.
    public var linkSeconds: Int
    /// How long a stopped recording waits for its tracks' last bytes before it is processed without them.
    public var finalizeWithin: Duration
    /// How long an upload stays resumable after its last PATCH (tus expiration).
    public var uploadExpirySeconds: Int
    /// The largest track (tus `Tus-Max-Size`).
    public var maxTrackBytes: Int64
    /// The largest PATCH body (nginx caps it too).
    public var maxChunkBytes: Int
    /// The MIME types a track may declare (`filetype`), without parameters.
    public var allowedTypes: Set<String>

    /// The defaults: 10-minute links, 15 minutes to finalize, 24 hours to resume, 4 GiB tracks, 16 MiB chunks, WebM.
    public init(
        linkSeconds: Int = 600, finalizeWithin: Duration = .seconds(900), uploadExpirySeconds: Int = 86_400, maxTrackBytes: Int64 = 4 << 30,
        maxChunkBytes: Int = 16 << 20, allowedTypes: Set<String> = ["video/webm", "audio/webm"]
    ) {
        self.linkSeconds = linkSeconds
        self.finalizeWithin = finalizeWithin
        self.uploadExpirySeconds = uploadExpirySeconds
        self.maxTrackBytes = maxTrackBytes
        self.maxChunkBytes = maxChunkBytes
        self.allowedTypes = allowedTypes
    }
}

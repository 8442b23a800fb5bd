/// What a recording holds, read from its packets (a MediaRecorder file declares no duration and has no cues).
public struct MediaProbe: Sendable, Hashable {
    /// A video stream with at least one packet.
    public var hasVideo: Bool
    /// An audio stream with at least one packet.
    public var hasAudio: Bool
    /// The video stream's declared size (0 without video).
    public var width: Int
    public var height: Int
    /// From the first packet to the end of the last, whatever the stream.
    public var durationMs: Int64
    public var videoDurationMs: Int64
    public var audioDurationMs: Int64
    /// Video packets read.
    public var videoPackets: Int64
    /// Read errors the demuxer recovered from (corrupt or missing bytes).
    public var recoveredErrors: Int
    /// Every gap found (streams merged).
    public var gapCount: Int
    /// The first 16 of them.
    public var gaps: [MediaGap]
}

/// What transcoding one participant's track made.
public struct TrackReport: Sendable, Hashable {
    /// The MP4 has an H.264 stream.
    public var hasVideo: Bool
    /// The MP4 has an AAC stream.
    public var hasAudio: Bool
    /// The output's size: the first frame's, even (0 without video).
    public var width: Int
    public var height: Int
    /// The MP4's length.
    public var durationMs: Int64
    public var videoDurationMs: Int64
    public var audioDurationMs: Int64
    /// Pictures encoded.
    public var videoFrames: Int64
    /// Times the input's picture size changed (each scaled into the first size, aspect kept).
    public var resolutionChanges: Int
    /// Packets the decoders refused and read errors recovered from.
    public var decodeErrors: Int
    /// Silence written for gaps and to pad the audio to the video's end.
    public var silenceMs: Int64
    /// Every gap found in the input (streams merged), and the first 16 of them.
    public var gapCount: Int
    public var gaps: [MediaGap]
}

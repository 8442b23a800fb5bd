/// What compositing a session's tracks made: one MP4 and its HLS rendition.
public struct CompositeReport: Sendable, Hashable {
    /// The canvas.
    public var width: Int
    public var height: Int
    /// False when no input had audio (the outputs then have no audio stream).
    public var hasAudio: Bool
    /// The composite's length: until the last track ends, counted from the composite's start.
    public var durationMs: Int64
    /// Frames encoded (constant frame rate).
    public var videoFrames: Int64
    /// Times an input's picture size changed.
    public var resolutionChanges: Int
    /// Packets the decoders refused and read errors recovered from, over all inputs.
    public var decodeErrors: Int
    /// The HLS playlist (`index.m3u8` in the HLS directory).
    public var playlist: String
    /// fMP4 segments written beside it (`init.mp4` not counted).
    public var segmentCount: Int
}

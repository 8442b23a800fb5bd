/// Encoding settings of a ``Transcoder``; the defaults are the pipeline's.
public struct TranscoderOptions: Sendable, Hashable {
    /// The composite's fixed frame size (even, 64...4096).
    public var canvasWidth: Int
    public var canvasHeight: Int
    /// The composite's constant frame rate (1...60).
    public var fps: Int
    /// libx264's constant rate factor (0...51).
    public var crf: Int
    /// libx264's preset.
    public var preset: String
    /// The longest time between two keyframes.
    public var keyframeIntervalMs: Int
    /// AAC bit rate in bit/s; 0: 64 kb/s per channel.
    public var audioBitrate: Int
    /// 1 or 2; 0: a track keeps its input's (mono stays mono), the composite is stereo.
    public var audioChannels: Int
    /// The HLS segments' target length (cut at the next keyframe).
    public var hlsSegmentMs: Int
    /// libx264's threads; 0: it decides.
    public var threads: Int

    /// The defaults: 1280x720 at 30 fps, CRF 23, veryfast, a keyframe every 2 s, 4 s HLS segments.
    public init(
        canvasWidth: Int = 1280, canvasHeight: Int = 720, fps: Int = 30, crf: Int = 23, preset: String = "veryfast", keyframeIntervalMs: Int = 2000,
        audioBitrate: Int = 0, audioChannels: Int = 0, hlsSegmentMs: Int = 4000, threads: Int = 0
    ) {
        self.canvasWidth = canvasWidth
        self.canvasHeight = canvasHeight
        self.fps = fps
        self.crf = crf
        self.preset = preset
        self.keyframeIntervalMs = keyframeIntervalMs
        self.audioBitrate = audioBitrate
        self.audioChannels = audioChannels
        self.hlsSegmentMs = hlsSegmentMs
        self.threads = threads
    }
}

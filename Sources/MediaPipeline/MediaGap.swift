/// A stretch of a track without media (lost or never recorded): a frozen frame and silence in the outputs.
public struct MediaGap: Sendable, Hashable, Codable {
    /// Milliseconds from the track's first packet.
    public var startMs: Int64
    /// How long it lasts.
    public var lengthMs: Int64

    /// A gap of `lengthMs` at `startMs`.
    public init(startMs: Int64, lengthMs: Int64) {
        self.startMs = startMs
        self.lengthMs = lengthMs
    }
}

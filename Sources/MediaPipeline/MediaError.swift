/// The media pipeline's one error: what went wrong (a stable code) and FFmpeg's or the C layer's message.
public struct MediaError: Error, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure it is.
    public enum Code: Int32, Sendable, Hashable {
        /// A path was empty, there were no inputs (or more than 16), or an option was out of range.
        case invalidArgument = 1
        /// The input cannot be opened or is not a recording this can read ("invalid data").
        case invalidInput = 2
        /// The input holds no audio or video that decodes.
        case noDecodableStream = 3
        /// An output could not be created or written.
        case output = 4
        /// An encoder or decoder could not be set up or failed.
        case codec = 5
        /// Out of memory.
        case outOfMemory = 6
    }

    /// The kind of failure.
    public var code: Code
    /// The C layer's message, e.g. "invalid data: not a recording this can read: Invalid data found when processing input".
    public var message: String
    /// For a composite: the index of the input the error is about.
    public var input: Int?

    /// An error of `code` with `message`.
    public init(_ code: Code, _ message: String, input: Int? = nil) {
        self.code = code
        self.message = message
        self.input = input
    }

    /// A C status (`ml_media_status`, non-zero) with its message; an unknown status reads as a codec failure.
    init(status: Int32, message: String, input: Int?) {
        self.init(Code(rawValue: status) ?? .codec, message.isEmpty ? "media call failed (\(status))" : message, input: input)
    }

    public var description: String { input.map { "media: input \($0): \(message)" } ?? "media: \(message)" }
    public var debugDescription: String { "MediaError(\(code), \(description))" }

    /// Errors are equal when their codes are.
    public static func == (lhs: MediaError, rhs: MediaError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

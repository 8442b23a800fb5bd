import Foundation

/// What ffprobe and ffmpeg's filters say about an output.
enum MediaInspection {
    /// ffprobe's streams of `path`.
    static func streams(_ path: String) throws -> [[String: Any]] {
        try Tool.probe(["-show_streams", path])["streams"] as? [[String: Any]] ?? []
    }

    static func stream(_ path: String, _ type: String) throws -> [String: Any]? {
        try streams(path).first { $0["codec_type"] as? String == type }
    }

    /// The container's duration in seconds (nil when it declares none, as MediaRecorder files do).
    static func formatDuration(_ path: String) throws -> Double? {
        let format = try Tool.probe(["-show_format", path])["format"] as? [String: Any]
        return (format?["duration"] as? String).flatMap(Double.init)
    }

    /// The presentation times of the keyframes of the first video stream.
    static func keyframeTimes(_ path: String) throws -> [Double] {
        let frames = try Tool.probe(["-select_streams", "v:0", "-skip_frame", "nokey", "-show_entries", "frame=pts_time", path])["frames"]
        return ((frames as? [[String: Any]]) ?? []).compactMap { ($0["pts_time"] as? String).flatMap(Double.init) }.sorted()
    }

    /// The presentation times of the video packets, in order.
    static func videoPacketTimes(_ path: String) throws -> [Double] { try packetTimes(path, stream: "v:0") }

    /// The presentation times of the packets of `stream` (ffprobe's specifier, `a:0`), in order.
    static func packetTimes(_ path: String, stream: String) throws -> [Double] {
        let packets = try Tool.probe(["-select_streams", stream, "-show_entries", "packet=pts_time", path])["packets"]
        return ((packets as? [[String: Any]]) ?? []).compactMap { ($0["pts_time"] as? String).flatMap(Double.init) }.sorted()
    }

    /// The earliest packet's time over all streams: a recording's time zero.
    static func firstPacketTime(_ path: String) throws -> Double {
        let packets = try Tool.probe(["-show_entries", "packet=pts_time", "-read_intervals", "%+1", path])["packets"]
        return ((packets as? [[String: Any]]) ?? []).compactMap { ($0["pts_time"] as? String).flatMap(Double.init) }.min() ?? 0
    }

    /// The top-level MP4 boxes' types in file order.
    static func topLevelBoxes(_ path: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var boxes: [String] = []
        var offset = 0
        while offset + 8 <= data.count {
            let header = data.subdata(in: offset..<offset + 8)
            var size = header.prefix(4).reduce(0) { $0 << 8 | Int($1) }
            boxes.append(String(decoding: header.suffix(4), as: UTF8.self))
            if size == 1, offset + 16 <= data.count { size = data.subdata(in: offset + 8..<offset + 16).reduce(0) { $0 << 8 | Int($1) } }
            if size == 0 { break }  // to the end of the file
            guard size >= 8 else { break }
            offset += size
        }
        return boxes
    }

    /// The silences ffmpeg's silencedetect finds (-30 dB, at least 0.2 s): [(start, end)] in seconds.
    static func silences(_ path: String) throws -> [(start: Double, end: Double)] {
        let run = try Tool.ffmpegLog(["-i", path, "-af", "silencedetect=n=-30dB:d=0.2", "-f", "null", "-"])
        var found: [(start: Double, end: Double)] = []
        var start: Double?
        for line in run.log.split(separator: "\n") {
            if let value = value(after: "silence_start: ", in: line) { start = value }
            if let end = value(after: "silence_end: ", in: line), let begun = start {
                found.append((begun, end))
                start = nil
            }
        }
        return found
    }

    /// The variance of the luma of a w x h crop at (x, y) of the frame shown at `seconds`: 0 for a flat tile.
    static func lumaVariance(_ path: String, at seconds: Double, crop: (x: Int, y: Int, w: Int, h: Int)) throws -> Double {
        let filter = "crop=\(crop.w):\(crop.h):\(crop.x):\(crop.y),format=gray"
        let result = try Tool.run(
            "ffmpeg", ["-v", "error", "-ss", String(seconds), "-i", path, "-frames:v", "1", "-vf", filter, "-f", "rawvideo", "pipe:1"])
        guard result.status == 0, !result.stdout.isEmpty else { throw MediaFixtures.Failure(description: "no frame at \(seconds): \(result.stderr)") }
        let values = result.stdout.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    }

    /// Decodes the whole file; true when ffmpeg reports no error.
    static func decodesCleanly(_ path: String) throws -> Bool {
        let run = try Tool.ffmpegLog(["-v", "error", "-i", path, "-f", "null", "-"])
        return run.status == 0 && run.log.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    private static func value(after marker: String, in line: Substring) -> Double? {
        guard let range = line.range(of: marker) else { return nil }
        return Double(line[range.upperBound...].prefix { $0 == "." || $0 == "-" || $0.isNumber })
    }
}

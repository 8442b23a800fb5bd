public import Foundation
public import MentorLinkCore

/// Janus's own recordings of SFU rooms (`rec_dir`): one `.mjr` file per stream a publisher sent while the room
/// recorded, named `videoroom-<room>-user-<participant>-<microseconds>-<audio|video>-<mindex>.mjr`. For a
/// participant whose upload never completed, ``tracks(room:participant:from:until:transcoder:work:)`` turns them into
/// tracks like uploads: `janus-pp-rec` reads each `.mjr` header (when its first packet was written) and
/// extracts the media into Matroska, and the transcoder muxes video and audio into one file, each stream placed by its
/// header's start.
///
/// Blocking (it runs `janus-pp-rec`): call it on the transcoder's thread.
///
/// The file names are Janus's, and Janus 1.1.2 lets a client that joins a room pick its participant id and start its
/// own recording (`joinandconfigure` with `record`, despite `lock_record`), so a name is only as trustworthy as the
/// room's participants: the processor uses these files only for a participant of the recording who began an upload
/// of their own, and never for someone else.
public struct JanusRecordings: Sendable {
    /// The directory Janus records into.
    public let directory: String
    /// `janus-pp-rec` (Debian's janus-tools).
    public let tool: String

    /// Recordings in `directory`, post-processed with `tool`.
    public init(directory: String, tool: String = "/usr/bin/janus-pp-rec") {
        self.directory = directory
        self.tool = tool
    }

    /// One `.mjr` file: its stream's kind, when Janus created it (from its name) and its path.
    public struct File: Sendable, Hashable {
        public var path: String
        public var kind: SFUMedia
        public var createdAtMicroseconds: Int64
    }

    /// The participant's track as one Matroska file and when it began.
    public struct Track: Sendable, Hashable {
        public var path: String
        public var startedAt: Instant
        /// The `.mjr` files it was made of.
        public var sources: [String]
    }

    /// The audio and video `.mjr` files of the participant in the room, created within `from...until` (oldest
    /// first). Other rooms' and participants' files, data channels and names that do not parse are left out.
    public func files(room: String, participant: String, from: Instant, until: Instant) -> [File] {
        guard SFUIdentifier.isValid(room), SFUIdentifier.isValid(participant),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory)
        else { return [] }
        let prefix = "videoroom-\(room)-user-\(participant)-"
        let window = (from.date.timeIntervalSince1970 * 1e6)...(until.date.timeIntervalSince1970 * 1e6)
        return names.compactMap { name -> File? in
            guard name.hasPrefix(prefix), name.hasSuffix(".mjr") else { return nil }
            // <microseconds>-<audio|video>-<mindex>
            let parts = name.dropFirst(prefix.count).dropLast(4).split(separator: "-")
            guard parts.count >= 2, let created = Int64(parts[0]), window.contains(Double(created)) else { return nil }
            let kind: SFUMedia
            switch parts[1] {
            case "audio": kind = .audio
            case "video": kind = .video
            default: return nil
            }
            return File(path: (directory as NSString).appendingPathComponent(name), kind: kind, createdAtMicroseconds: created)
        }.sorted { $0.createdAtMicroseconds < $1.createdAtMicroseconds }
    }

    /// When the file's first packet was written (microseconds since 1970), from its header (`janus-pp-rec --json`).
    public func firstPacketMicroseconds(_ file: String) throws(MediaError) -> Int64 {
        let (status, output) = run(["--debug-level", "0", "--json", file])
        let json = output.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? ""
        guard status == 0, let header = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw MediaError(.invalidInput, "janus-pp-rec cannot read the header of \(file): \(output.suffix(300))")
        }
        guard let written = (header["u"] as? NSNumber)?.int64Value ?? (header["s"] as? NSNumber)?.int64Value, written > 0 else {
            throw MediaError(.invalidInput, "the header of \(file) has no start time")
        }
        return written
    }

    /// The participant's recording in the room within the window, as tracks in `work` (none when Janus has none):
    /// the files are grouped into segments (a publisher's audio and video files are created together; a rejoin or a
    /// restart of Janus begins another segment), each segment's streams extracted and muxed into one file placed by
    /// the headers' first-packet times and trimmed at `until`. A stream that never carried media (no header) is
    /// skipped.
    public func tracks(
        room: String, participant: String, from: Instant, until: Instant, transcoder: Transcoder, work: String
    )
        throws(MediaError) -> [Track]
    {
        var made: [Track] = []
        for (index, segment) in Self.segments(files(room: room, participant: participant, from: from, until: until)).enumerated() {
            var extracted: [(file: File, path: String, start: Int64)] = []
            for file in segment {
                guard let start = try? firstPacketMicroseconds(file.path) else { continue }
                let ext = file.kind == .video ? "mkv" : "mka"
                let path = (work as NSString).appendingPathComponent("janus-\(participant)-\(index)-\(file.kind.rawValue).\(ext)")
                let (status, output) = run(["--debug-level", "2", file.path, path])
                guard status == 0, FileManager.default.fileExists(atPath: path) else {
                    throw MediaError(.invalidInput, "janus-pp-rec cannot extract \(file.path): \(output.suffix(300))")
                }
                extracted.append((file, path, start))
            }
            guard let first = extracted.map(\.start).min() else { continue }
            let placed = { (kind: SFUMedia) in extracted.first { $0.file.kind == kind }.map { (path: $0.path, offsetMs: ($0.start - first) / 1000) } }
            let output = (work as NSString).appendingPathComponent("janus-\(participant)-\(index).mkv")
            let startedAt = Instant(Date(timeIntervalSince1970: Double(first) / 1e6))
            let untilMs = Int64((until.date.timeIntervalSince(startedAt.date) * 1000).rounded())
            guard untilMs > 0 else { continue }
            _ = try transcoder.mux(video: placed(.video), audio: placed(.audio), output: output, untilMs: untilMs)
            made.append(Track(path: output, startedAt: startedAt, sources: extracted.map(\.file.path)))
        }
        return made
    }

    /// Files (oldest first) grouped into segments: a file joins the current segment unless the segment has a file
    /// of its kind already or began more than 10 s before it.
    static func segments(_ files: [File]) -> [[File]] {
        var segments: [[File]] = []
        for file in files {
            if let current = segments.last, let first = current.first, !current.contains(where: { $0.kind == file.kind }),
                file.createdAtMicroseconds - first.createdAtMicroseconds <= 10_000_000
            {
                segments[segments.count - 1].append(file)
            } else {
                segments.append([file])
            }
        }
        return segments
    }

    /// Runs the tool with `arguments`; its status and its output (standard output and error together: it logs to
    /// the former).
    private func run(_ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        do { try process.run() } catch { return (-1, "\(error)") }
        // Read before waiting: a full pipe would block the tool.
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

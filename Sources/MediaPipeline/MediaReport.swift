import CMedia

/// Reading the C layer's report.
extension ml_media_report {
    /// The message in `error` (empty on success).
    var message: String {
        withUnsafeBytes(of: error) { bytes in
            let text = bytes.prefix { $0 != 0 }
            return String(decoding: text, as: UTF8.self)
        }
    }

    /// The listed gaps (at most ML_MEDIA_MAX_GAPS).
    var gapList: [MediaGap] {
        withUnsafeBytes(of: gaps) { bytes in
            let listed = bytes.bindMemory(to: ml_media_gap.self).prefix(Int(min(gap_count, ML_MEDIA_MAX_GAPS)))
            return listed.map { MediaGap(startMs: $0.start_ms, lengthMs: $0.length_ms) }
        }
    }

    /// Throws the report's error when `status` is not ML_MEDIA_OK.
    func check(_ status: Int32) throws(MediaError) {
        guard status != ML_MEDIA_OK.rawValue else { return }
        throw MediaError(status: status, message: message, input: failed_input >= 0 ? Int(failed_input) : nil)
    }
}

extension MediaProbe {
    init(_ report: ml_media_report) {
        self.init(
            hasVideo: report.has_video != 0, hasAudio: report.has_audio != 0, width: Int(report.width), height: Int(report.height),
            durationMs: report.duration_ms, videoDurationMs: report.video_duration_ms, audioDurationMs: report.audio_duration_ms,
            videoPackets: report.video_frames, recoveredErrors: Int(report.decode_errors), gapCount: Int(report.gap_count), gaps: report.gapList)
    }
}

extension TrackReport {
    init(_ report: ml_media_report) {
        self.init(
            hasVideo: report.has_video != 0, hasAudio: report.has_audio != 0, width: Int(report.width), height: Int(report.height),
            durationMs: report.duration_ms, videoDurationMs: report.video_duration_ms, audioDurationMs: report.audio_duration_ms,
            videoFrames: report.video_frames, resolutionChanges: Int(report.resolution_changes), decodeErrors: Int(report.decode_errors),
            silenceMs: report.silence_ms, gapCount: Int(report.gap_count), gaps: report.gapList)
    }
}

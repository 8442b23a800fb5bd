#ifndef CMEDIA_H
#define CMEDIA_H

/// The C layer over FFmpeg's libraries (Debian 12: libavformat 59, libavcodec 59, libswscale 6, libswresample 4):
/// probe a browser's MediaRecorder WebM, transcode one participant's track to an MP4 (H.264 + AAC, faststart,
/// variable frame rate kept, gaps kept as frozen frame + silence), and composite several tracks into one MP4 plus an
/// fMP4 HLS rendition.
///
/// Every call is blocking, keeps no global state, may run on any thread (one call per thread at a time per report),
/// frees everything it allocated on every path and never aborts on bad input: it returns a non-zero status and a
/// message in `report->error`.

#include <stdint.h>

/// The most gaps a report lists (`gap_count` still counts all of them).
#define ML_MEDIA_MAX_GAPS 16
/// The size of `ml_media_report.error`, its terminating NUL included.
#define ML_MEDIA_ERROR_SIZE 256
/// A pause between two consecutive packets of a stream longer than this (beyond the packet's own duration) is a gap.
#define ML_MEDIA_GAP_THRESHOLD_MS 500

/// What a call returns.
typedef enum ml_media_status {
    ML_MEDIA_OK = 0,
    /// A NULL or empty path, no inputs, options out of range.
    ML_MEDIA_ERR_ARGUMENT = 1,
    /// The input cannot be opened or is not a media file of an accepted container ("invalid data").
    ML_MEDIA_ERR_INPUT = 2,
    /// The input holds no audio or video stream that decodes.
    ML_MEDIA_ERR_NO_STREAM = 3,
    /// An output cannot be created or written.
    ML_MEDIA_ERR_OUTPUT = 4,
    /// An encoder or decoder could not be set up or failed.
    ML_MEDIA_ERR_CODEC = 5,
    /// Out of memory.
    ML_MEDIA_ERR_MEMORY = 6,
} ml_media_status;

/// A stretch of a track with no media, in milliseconds from the track's first packet.
typedef struct ml_media_gap {
    int64_t start_ms;
    int64_t length_ms;
} ml_media_gap;

/// Encoding settings; `ml_media_options_init` fills the defaults. A NULL `opts` means the defaults.
typedef struct ml_media_options {
    /// The composite's fixed frame size (default 1280x720; even, 64...4096).
    int canvas_width;
    int canvas_height;
    /// The composite's constant frame rate (default 30; 1...60).
    int fps;
    /// libx264's constant rate factor (default 23; 0...51).
    int crf;
    /// libx264's preset (default "veryfast"); NULL means the default.
    const char *preset;
    /// The longest time between two keyframes (default 2000 ms).
    int keyframe_interval_ms;
    /// AAC bit rate in bit/s (default 0: 64 kb/s per channel).
    int audio_bitrate;
    /// 1 (mono) or 2 (stereo); 0 (default): a track keeps its input's (mono stays mono), the composite is stereo.
    int audio_channels;
    /// The HLS segments' target length (default 4000 ms; cut at the next keyframe).
    int hls_segment_ms;
    /// The encoder's threads (default 0: libx264 decides).
    int threads;
} ml_media_options;

/// What a call found or made. Which fields a call fills is said at each call.
typedef struct ml_media_report {
    int has_video;
    int has_audio;
    int width;
    int height;
    /// The whole span: probe, from the first packet to the end of the last; outputs, the output's length.
    int64_t duration_ms;
    int64_t video_duration_ms;
    int64_t audio_duration_ms;
    /// Frames encoded (outputs) or video packets read (probe).
    int64_t video_frames;
    /// Frames whose size differs from the frame before.
    int resolution_changes;
    /// Packets the decoders refused and read errors the demuxer recovered from (corrupt or missing bytes).
    int decode_errors;
    /// Silence inserted into the audio for gaps (transcode).
    int64_t silence_ms;
    /// All gaps found (probe and transcode), the first ML_MEDIA_MAX_GAPS of them in `gaps`.
    int gap_count;
    ml_media_gap gaps[ML_MEDIA_MAX_GAPS];
    /// The composite's input an error is about, -1 otherwise.
    int failed_input;
    /// Why the call failed (empty on success).
    char error[ML_MEDIA_ERROR_SIZE];
} ml_media_report;

/// One track of a composite: its file and when it started, in milliseconds after the composite's start.
typedef struct ml_media_input {
    const char *path;
    int64_t start_offset_ms;
} ml_media_input;

/// Fills `opts` with the defaults.
void ml_media_options_init(ml_media_options *opts);

/// Reads every packet of `path` without decoding: has_video/has_audio (a stream with at least one packet),
/// width/height (the video stream's declared size), duration_ms/video_duration_ms/audio_duration_ms from the packets'
/// timestamps (never the container's header), video_frames (video packets) and the gaps of every stream, merged.
int ml_media_probe(const char *path, ml_media_report *report);

/// Transcodes one participant's recording to `output_mp4`: H.264 (libx264, yuv420p, a keyframe at least every
/// keyframe_interval_ms by timestamps) at the first frame's size (later frames of another size are scaled into it,
/// aspect kept), the input's timestamps kept (variable frame rate), AAC at 48 kHz, moov atom first (faststart). A gap
/// stays a gap on the timeline: the frame before it lasts and the audio is silence. Fills every report field.
int ml_media_transcode_track(const char *input, const char *output_mp4, const ml_media_options *opts, ml_media_report *report);

/// Composites `count` tracks into `output_mp4` (canvas_width x canvas_height at `fps` constant frame rate; two tracks
/// side by side, more in a grid, each scaled with its aspect kept; a track without video, or before its start, after
/// its end, shows a dark placeholder tile), the audio of all tracks mixed, every track placed at its
/// `start_offset_ms`; and writes the same encoded streams as an HLS VOD rendition into the existing directory
/// `hls_dir` (index.m3u8, init.mp4, segment_NNNNN.m4s fMP4 segments) unless `hls_dir` is NULL. Without audio in any
/// input the outputs have no audio stream. Fills has_video, has_audio, width, height, duration_ms,
/// video_duration_ms, audio_duration_ms, video_frames, resolution_changes, decode_errors, failed_input and error.
int ml_media_composite(
    const ml_media_input *inputs, int count, const char *output_mp4, const char *hls_dir, const ml_media_options *opts,
    ml_media_report *report);

/// Copies the video stream of `video` and the audio stream of `audio` (either may be NULL or empty, not both) into one
/// Matroska file at `output`, without decoding: each stream's first packet, taken as its first presented frame (its
/// pts), lands at its offset (milliseconds, 0...24 h) from the output's start, and a packet presented before it is
/// dropped. A packet whose pts is later than `until_ms` on the output's timeline ends its stream there (negative: no
/// limit). Timestamps are repaired where they can be (a missing dts guessed, a missing or too early pts made the
/// dts); a packet with none, or whose dts goes back, is dropped and counted in `decode_errors`. An input with no
/// packet to write gets no stream in the output. Fills `has_video`, `has_audio` (the stream is in the output),
/// `width`, `height`, `video_frames` (video packets written), `decode_errors` and `duration_ms` (the end of the
/// last packet presented). Nothing to write at all is ML_MEDIA_ERR_NO_STREAM. On failure no output is left.
int ml_media_mux(const char *video, int64_t video_offset_ms, const char *audio, int64_t audio_offset_ms, int64_t until_ms,
                 const char *output, ml_media_report *report);

/// libavformat's version number (`LIBAVFORMAT_VERSION_INT`).
int ml_media_version(void);

/// Sets FFmpeg's log level (`AV_LOG_*`, e.g. 16 for errors only). This is FFmpeg's own process-wide setting.
void ml_media_set_log_level(int level);

#endif

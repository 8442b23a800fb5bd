#ifndef CMEDIA_INTERNAL_H
#define CMEDIA_INTERNAL_H

// The pieces the three calls share: errors, gap lists, a frame queue, the fitting scaler, the input (demux +
// decode), the audio line (samples placed on a timeline) and the sink (encoders + muxers).

#include "cmedia.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avstring.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#define ML_MS ((AVRational){1, 1000})
#define ML_AUDIO_RATE 48000

// ---- errors (cmedia_util.c)

/// Clears a report (failed_input -1).
void ml_report_reset(ml_media_report *report);
/// Writes "what: FFmpeg's text for averr" (or just `what` when averr is 0) into report->error, returns status.
int ml_fail(ml_media_report *report, int status, const char *what, int averr);
/// Fills opts with defaults, then copies and checks the caller's; returns ML_MEDIA_OK or ML_MEDIA_ERR_ARGUMENT.
int ml_options_resolve(const ml_media_options *given, ml_media_options *out, ml_media_report *report);

// ---- gaps (cmedia_util.c)

/// Gaps on an absolute millisecond timeline (the stream's own timestamps).
typedef struct ml_gaps {
    ml_media_gap *items;
    int count;
    int capacity;
    int dropped;
} ml_gaps;

void ml_gaps_add(ml_gaps *gaps, int64_t start_ms, int64_t length_ms);
/// Sorts and merges overlapping gaps, shifts them by -origin_ms, and copies them into the report.
void ml_gaps_export(ml_gaps *gaps, int64_t origin_ms, ml_media_report *report);
void ml_gaps_free(ml_gaps *gaps);

/// One stream's packets on the millisecond timeline.
typedef struct ml_timeline {
    int64_t first_ms;
    int64_t end_ms;
    int64_t packets;
    /// What a packet without a duration is expected to last.
    int64_t nominal_ms;
} ml_timeline;

void ml_timeline_init(ml_timeline *line, const AVStream *stream);
/// Adds a packet at `ms` lasting `duration_ms` (0: unknown), noting a gap before it.
void ml_timeline_add(ml_timeline *line, int64_t ms, int64_t duration_ms, ml_gaps *gaps);

// ---- frame queue (cmedia_util.c)

typedef struct ml_frame_queue {
    AVFrame **items;
    int head;
    int count;
    int capacity;
} ml_frame_queue;

/// Takes ownership of frame (freed on failure too). Returns 0 or AVERROR(ENOMEM).
int ml_queue_push(ml_frame_queue *queue, AVFrame *frame);
AVFrame *ml_queue_first(const ml_frame_queue *queue);
AVFrame *ml_queue_last(const ml_frame_queue *queue);
/// The first frame, now the caller's; NULL when empty.
AVFrame *ml_queue_pop(ml_frame_queue *queue);
void ml_queue_free(ml_frame_queue *queue);

// ---- pictures (cmedia_util.c)

/// Fills the rectangle (even x, y, w, h) of a yuv420p frame with one colour.
void ml_fill_rect(AVFrame *frame, int x, int y, int w, int h, uint8_t luma);
/// Scales src into the rectangle of the yuv420p dst, aspect kept, centred, black bars. Returns 0 or an AVERROR.
int ml_fit_into(struct SwsContext **sws, const AVFrame *src, AVFrame *dst, int x, int y, int w, int h);
/// Copies a w x h yuv420p picture into dst at (x, y) (even).
void ml_blit(const AVFrame *src, AVFrame *dst, int x, int y);
/// A new writable yuv420p frame of w x h, or NULL.
AVFrame *ml_picture_alloc(int w, int h);
#define ML_LUMA_BLACK 16
#define ML_LUMA_PLACEHOLDER 40

// ---- input (cmedia_input.c)

typedef struct ml_input ml_input;
/// Receives each decoded frame (the frame is the input's: reference it to keep it). Returns 0, or an ml_media_status
/// (positive) to stop.
typedef int (*ml_frame_fn)(void *context, ml_input *input, enum AVMediaType type, AVFrame *frame);

struct ml_input {
    AVFormatContext *format;
    int video_index;
    int audio_index;
    AVCodecContext *video_decoder;
    AVCodecContext *audio_decoder;
    AVPacket *packet;
    AVFrame *frame;
    ml_timeline video_line;
    ml_timeline audio_line;
    ml_gaps gaps;
    /// The first packet's timestamp (ms): the track's time zero. AV_NOPTS_VALUE until a packet is read.
    int64_t origin_ms;
    /// The latest packet's timestamp relative to origin_ms.
    int64_t last_packet_ms;
    int eof;
    int consecutive_read_errors;
    int decode_errors;
};

/// Opens `path` (a file; matroska/webm, mp4/mov, ogg, wav demuxers only) and, when `decode`, its decoders.
int ml_input_open(ml_input *input, const char *path, int decode, ml_media_report *report);
void ml_input_close(ml_input *input);
/// Reads one packet of the selected streams and decodes it, handing frames to `fn`; at the end flushes the decoders
/// and sets input->eof. Returns 1 after a packet, 0 at the end, or minus the status fn stopped with.
int ml_input_step(ml_input *input, ml_frame_fn fn, void *context);
/// A timestamp of the input's stream in `unit`, relative to the input's origin; AV_NOPTS_VALUE stays.
int64_t ml_input_relative(const ml_input *input, int64_t ts, AVRational tb, AVRational unit);
/// The timestamp of a decoded frame of `type` in `unit`, relative to origin (AV_NOPTS_VALUE if it has none).
int64_t ml_input_frame_time(const ml_input *input, enum AVMediaType type, const AVFrame *frame, AVRational unit);

// ---- audio line (cmedia_audio.c)

/// One piece of converted audio at its place on the timeline.
typedef struct ml_audio_chunk {
    int64_t position;
    int samples;
    float *data; // channels * samples, planar
} ml_audio_chunk;

/// Audio converted to 48 kHz float planar and placed by timestamp on a sample timeline. Holes between placed pieces
/// read as silence; a piece overlapping what is already placed is trimmed; jitter under 20 ms is ignored.
typedef struct ml_audio_line {
    int channels;
    AVChannelLayout layout;
    SwrContext *swr;
    AVChannelLayout swr_layout;
    int swr_format;
    int swr_rate;
    ml_audio_chunk *chunks;
    int head;
    int count;
    int capacity;
    /// The next sample to read.
    int64_t read_position;
    /// The end of what has been placed or read (at least read_position).
    int64_t end_position;
    /// The end of the audio placed (reads past it do not move it).
    int64_t placed_end;
    int64_t silence_samples;
    float *scratch;
    int scratch_samples;
} ml_audio_line;

int ml_audio_line_init(ml_audio_line *line, int channels);
void ml_audio_line_free(ml_audio_line *line);
/// Converts and places a frame at `position` (samples; AV_NOPTS_VALUE: right after what is placed).
int ml_audio_line_push(ml_audio_line *line, const AVFrame *frame, int64_t position);
/// Reads `samples` from read_position into `planes` (one float array per channel), copying or adding (`add`).
void ml_audio_line_read(ml_audio_line *line, float **planes, int samples, int add);

// ---- sink (cmedia_sink.c)

typedef struct ml_sink_config {
    const char *mp4_path;
    const char *hls_dir; // NULL: no HLS
    const ml_media_options *options;
    int video;
    int width;
    int height;
    AVRational video_time_base;
    AVRational frame_rate;
    int gop;
    int constant_gop; // no scene-cut keyframes (the composite's even segments)
    int audio;
    int channels;
} ml_sink_config;

#define ML_SENT_PTS 1024

typedef struct ml_sink {
    AVFormatContext *muxers[2];
    int muxer_count;
    int headers_written;
    AVCodecContext *video_encoder;
    AVCodecContext *audio_encoder;
    /// The last packet of each stream (0 video, 1 audio), held until its duration is known.
    AVPacket *held[2];
    AVPacket *packet;
    AVPacket *spare;
    AVFrame *audio_frame;
    /// The latest pictures' pts sent to the encoder (ascending, a ring): a packet lasts until the next picture.
    int64_t sent_pts[ML_SENT_PTS];
    int64_t sent_count;
    int64_t audio_samples;
    int64_t video_frames;
} ml_sink;

int ml_sink_open(ml_sink *sink, const ml_sink_config *config, ml_media_report *report);
/// Encodes a yuv420p frame (pts in the video time base).
int ml_sink_video(ml_sink *sink, AVFrame *frame, ml_media_report *report);
/// Encodes `samples` (at most the encoder's frame size) read from the audio line.
int ml_sink_audio_from_line(ml_sink *sink, ml_audio_line *line, int samples, ml_media_report *report);
/// Encodes `samples` already in sink->audio_frame (filled by the caller after ml_sink_audio_frame).
int ml_sink_audio(ml_sink *sink, int samples, ml_media_report *report);
/// A writable audio frame of the encoder's frame size for the caller to fill, or NULL.
AVFrame *ml_sink_audio_frame(ml_sink *sink);
/// Flushes the encoders, makes the last picture last until `video_end_pts`, writes the trailers.
int ml_sink_finish(ml_sink *sink, int64_t video_end_pts, ml_media_report *report);
void ml_sink_free(ml_sink *sink);

#endif

// ml_media_composite: every track on one canvas at a constant frame rate, their audio mixed, each placed at its
// start offset; the same packets go to an MP4 and an fMP4 HLS rendition.
//
// The output is made tick by tick. For the frame at time t each track is read just far enough to know which of its
// pictures stands at t (the last one at or before t; a gap keeps the one before it) and, for the audio up to the end
// of that frame, its audio line is filled; nothing is read more than a second of the track's own time ahead of t, so
// a track in a gap or not started yet is not read to its end.

#include "cmedia_internal.h"

#include <math.h>
#include <string.h>

#define ML_MAX_TRACKS 16
/// How far ahead of the output's time a track is read (ms): covers its file's audio/video interleaving.
static const int64_t read_ahead_ms = 1000;

typedef struct composite_track {
    ml_input input;
    int64_t offset_ms;
    ml_frame_queue pictures; // fitted to the tile, pts = output ms
    AVFrame *current;
    struct SwsContext *sws;
    ml_audio_line line;
    int has_line;
    int64_t last_video_ms;
    int64_t frame_ms;
    int last_width, last_height;
    int resolution_changes;
    int tile_width, tile_height;
    int x, y;
} composite_track;

typedef struct composite_job {
    composite_track tracks[ML_MAX_TRACKS];
    int count;
    ml_sink sink;
    ml_media_options options;
    ml_media_report *report;
    AVFrame *canvas;
    int64_t mixed; // audio samples encoded
} composite_job;

static int on_frame(void *context, ml_input *input, enum AVMediaType type, AVFrame *frame) {
    composite_track *track = context;
    if (type == AVMEDIA_TYPE_AUDIO) {
        if (!track->has_line) return 0;
        int64_t position = ml_input_frame_time(input, type, frame, (AVRational){1, ML_AUDIO_RATE});
        if (position != AV_NOPTS_VALUE) position += av_rescale(track->offset_ms, ML_AUDIO_RATE, 1000);
        return ml_audio_line_push(&track->line, frame, position) < 0 ? ML_MEDIA_ERR_CODEC : 0;
    }
    int64_t ms = ml_input_frame_time(input, type, frame, ML_MS);
    if (track->last_video_ms == AV_NOPTS_VALUE) {
        ms = track->offset_ms; // the first picture stands from the track's start
    } else {
        ms = ms == AV_NOPTS_VALUE ? track->last_video_ms + track->frame_ms : ms + track->offset_ms;
        if (ms <= track->last_video_ms) ms = track->last_video_ms + 1;
        if (ms - track->last_video_ms <= ML_MEDIA_GAP_THRESHOLD_MS) track->frame_ms = ms - track->last_video_ms;
    }
    if (track->last_width && (frame->width != track->last_width || frame->height != track->last_height)) track->resolution_changes++;
    track->last_width = frame->width;
    track->last_height = frame->height;
    AVFrame *tile = ml_picture_alloc(track->tile_width, track->tile_height);
    if (tile == NULL) return ML_MEDIA_ERR_MEMORY;
    if (ml_fit_into(&track->sws, frame, tile, 0, 0, track->tile_width, track->tile_height) < 0) {
        av_frame_free(&tile);
        input->decode_errors++;
        return 0;
    }
    tile->pts = ms;
    track->last_video_ms = ms;
    return ml_queue_push(&track->pictures, tile) < 0 ? ML_MEDIA_ERR_MEMORY : 0;
}

/// Reads one more packet of the track if it has not been read past `t_ms` + read_ahead_ms. 1: read, 0: not, or -status.
static int pull(composite_track *track, int64_t t_ms) {
    ml_input *input = &track->input;
    if (input->eof) return 0;
    if (input->origin_ms != AV_NOPTS_VALUE && track->offset_ms + input->last_packet_ms > t_ms + read_ahead_ms) return 0;
    return ml_input_step(input, on_frame, track);
}

/// When the track's media ends on the output's timeline (ms); INT64_MAX while it is still being read.
static int64_t track_end(const composite_track *track) {
    if (!track->input.eof) return INT64_MAX;
    int64_t end = track->last_video_ms != AV_NOPTS_VALUE ? track->last_video_ms + track->frame_ms : 0;
    if (track->has_line) end = FFMAX(end, av_rescale(track->line.placed_end, 1000, ML_AUDIO_RATE));
    return end;
}

/// Two tracks side by side, more in a grid of ceil(sqrt(n)) columns with a short last row centred.
static void lay_out(composite_job *job) {
    int n = job->count, w = job->options.canvas_width, h = job->options.canvas_height;
    int columns = n <= 2 ? n : (int)ceil(sqrt((double)n));
    int rows = (n + columns - 1) / columns;
    int tile_width = (w / columns) & ~1, tile_height = (h / rows) & ~1;
    for (int i = 0; i < n; i++) {
        int row = i / columns, column = i % columns;
        int in_row = FFMIN(columns, n - row * columns);
        composite_track *track = &job->tracks[i];
        track->tile_width = tile_width;
        track->tile_height = tile_height;
        track->x = ((w - in_row * tile_width) / 2 + column * tile_width) & ~1;
        track->y = ((h - rows * tile_height) / 2 + row * tile_height) & ~1;
    }
}

static int draw(composite_job *job, int64_t k, int64_t t_ms) {
    if (av_frame_make_writable(job->canvas) < 0) return ml_fail(job->report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    ml_fill_rect(job->canvas, 0, 0, job->canvas->width, job->canvas->height, ML_LUMA_BLACK);
    for (int i = 0; i < job->count; i++) {
        composite_track *track = &job->tracks[i];
        AVFrame *next;
        while ((next = ml_queue_first(&track->pictures)) != NULL && next->pts <= t_ms) {
            av_frame_free(&track->current);
            track->current = ml_queue_pop(&track->pictures);
        }
        if (track->current != NULL && t_ms < track_end(track)) {
            ml_blit(track->current, job->canvas, track->x, track->y);
        } else {
            ml_fill_rect(job->canvas, track->x, track->y, track->tile_width, track->tile_height, ML_LUMA_PLACEHOLDER);
        }
    }
    int gop = FFMAX(job->options.fps * job->options.keyframe_interval_ms / 1000, 1);
    job->canvas->pts = k;
    job->canvas->pict_type = k % gop == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
    return ml_sink_video(&job->sink, job->canvas, job->report);
}

/// Mixes and encodes the audio up to `target` (samples); a short last frame only when `final`.
static int mix(composite_job *job, int64_t target, int final) {
    int frame_size = job->sink.audio_encoder->frame_size, channels = job->sink.audio_encoder->ch_layout.nb_channels;
    while (job->mixed < target) {
        int samples = (int)FFMIN(target - job->mixed, frame_size);
        if (samples < frame_size && !final) break;
        AVFrame *frame = ml_sink_audio_frame(&job->sink);
        if (frame == NULL) return ml_fail(job->report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
        float **planes = (float **)frame->data;
        for (int ch = 0; ch < channels; ch++) memset(planes[ch], 0, samples * sizeof(float));
        for (int i = 0; i < job->count; i++) {
            if (job->tracks[i].has_line) ml_audio_line_read(&job->tracks[i].line, planes, samples, 1);
        }
        for (int ch = 0; ch < channels; ch++) {
            for (int s = 0; s < samples; s++) planes[ch][s] = FFMAX(-1.0f, FFMIN(1.0f, planes[ch][s]));
        }
        int ret = ml_sink_audio(&job->sink, samples, job->report);
        if (ret != 0) return ret;
        job->mixed += samples;
    }
    return 0;
}

static int fail_track(composite_job *job, int index, int status) {
    job->report->failed_input = index;
    if (job->report->error[0] == '\0') ml_fail(job->report, status, "reading the input failed", 0);
    return status;
}

static int run(composite_job *job) {
    int fps = job->options.fps, ret;
    int64_t k = 0;
    for (;; k++) {
        int64_t t_ms = av_rescale(k, 1000, fps), end = 0;
        int reading = 0;
        for (int i = 0; i < job->count; i++) {
            composite_track *track = &job->tracks[i];
            ret = 0;
            for (;;) {
                AVFrame *last = ml_queue_last(&track->pictures);
                if (last != NULL && last->pts > t_ms) break;
                if ((ret = pull(track, t_ms)) <= 0) break;
            }
            if (ret < 0) return fail_track(job, i, -ret);
            reading |= !track->input.eof;
            end = FFMAX(end, track_end(track));
        }
        if (!reading && t_ms >= end) break;
        if ((ret = draw(job, k, t_ms)) != 0) return ret;
        if (job->sink.audio_encoder == NULL) continue;
        int64_t target = av_rescale(k + 1, ML_AUDIO_RATE, fps);
        for (int i = 0; i < job->count; i++) {
            composite_track *track = &job->tracks[i];
            ret = 0;
            while (track->has_line && track->line.end_position < target && (ret = pull(track, t_ms)) > 0) {
            }
            if (ret < 0) return fail_track(job, i, -ret);
        }
        if ((ret = mix(job, target, 0)) != 0) return ret;
    }
    if (k == 0) return ml_fail(job->report, ML_MEDIA_ERR_NO_STREAM, "no decodable stream in any input", 0);
    if (job->sink.audio_encoder != NULL && (ret = mix(job, av_rescale(k, ML_AUDIO_RATE, fps), 1)) != 0) return ret;
    if ((ret = ml_sink_finish(&job->sink, k, job->report)) != 0) return ret;
    ml_media_report *report = job->report;
    report->has_video = 1;
    report->has_audio = job->sink.audio_encoder != NULL;
    report->width = job->options.canvas_width;
    report->height = job->options.canvas_height;
    report->duration_ms = report->video_duration_ms = av_rescale(k, 1000, fps);
    report->audio_duration_ms = report->has_audio ? av_rescale(job->mixed, 1000, ML_AUDIO_RATE) : 0;
    report->video_frames = job->sink.video_frames;
    return 0;
}

static int start(composite_job *job, const ml_media_input *inputs, const char *output_mp4, const char *hls_dir) {
    int audio = 0;
    for (int i = 0; i < job->count; i++) {
        composite_track *track = &job->tracks[i];
        track->offset_ms = FFMAX(inputs[i].start_offset_ms, 0);
        int ret = ml_input_open(&track->input, inputs[i].path, 1, job->report);
        if (ret != 0) {
            job->report->failed_input = i;
            return ret;
        }
        if (track->input.audio_index >= 0) audio = 1;
    }
    int channels = job->options.audio_channels ? job->options.audio_channels : 2;
    for (int i = 0; audio && i < job->count; i++) {
        job->tracks[i].has_line = job->tracks[i].input.audio_index >= 0;
        if (job->tracks[i].has_line) ml_audio_line_init(&job->tracks[i].line, channels);
    }
    lay_out(job);
    job->canvas = ml_picture_alloc(job->options.canvas_width, job->options.canvas_height);
    if (job->canvas == NULL) return ml_fail(job->report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    int fps = job->options.fps;
    ml_sink_config config = {
        .mp4_path = output_mp4,
        .hls_dir = hls_dir,
        .options = &job->options,
        .video = 1,
        .width = job->options.canvas_width,
        .height = job->options.canvas_height,
        .video_time_base = (AVRational){1, fps},
        .frame_rate = (AVRational){fps, 1},
        .gop = FFMAX(fps * job->options.keyframe_interval_ms / 1000, 1),
        .constant_gop = 1,
        .audio = audio,
        .channels = channels,
    };
    return ml_sink_open(&job->sink, &config, job->report);
}

int ml_media_composite(
    const ml_media_input *inputs, int count, const char *output_mp4, const char *hls_dir, const ml_media_options *opts,
    ml_media_report *report) {
    if (report == NULL) return ML_MEDIA_ERR_ARGUMENT;
    ml_report_reset(report);
    if (inputs == NULL || count < 1 || count > ML_MAX_TRACKS) return ml_fail(report, ML_MEDIA_ERR_ARGUMENT, "1 to 16 inputs", 0);
    composite_job *job = av_mallocz(sizeof(*job));
    if (job == NULL) return ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    job->count = count;
    job->report = report;
    for (int i = 0; i < count; i++) {
        job->tracks[i].last_video_ms = AV_NOPTS_VALUE;
        job->tracks[i].frame_ms = 33;
    }
    int ret = ml_options_resolve(opts, &job->options, report);
    if (ret == 0) ret = start(job, inputs, output_mp4, hls_dir);
    if (ret == 0) ret = run(job);
    for (int i = 0; i < count; i++) {
        composite_track *track = &job->tracks[i];
        report->decode_errors += track->input.decode_errors;
        report->resolution_changes += track->resolution_changes;
        ml_queue_free(&track->pictures);
        av_frame_free(&track->current);
        sws_freeContext(track->sws);
        ml_audio_line_free(&track->line);
        ml_input_close(&track->input);
    }
    ml_sink_free(&job->sink);
    av_frame_free(&job->canvas);
    av_free(job);
    return ret;
}

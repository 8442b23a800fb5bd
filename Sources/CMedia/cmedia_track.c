// ml_media_transcode_track: one participant's recording to an MP4 with its own timestamps (variable frame rate),
// the first frame's size, a keyframe at least every keyframe_interval_ms, and its gaps kept: the frame before a gap
// lasts, the audio is silence.

#include "cmedia_internal.h"

#include <string.h>

/// Audio frames held while waiting for the first video frame (its size is the output's): about 10 s of Opus.
static const int max_pending_audio = 500;
/// The largest output side: a bigger first frame is scaled down.
static const int max_side = 4096;

typedef struct track_job {
    ml_input input;
    ml_sink sink;
    int sink_open;
    ml_media_options options;
    const char *output;
    ml_media_report *report;
    AVFrame *first_video;
    ml_frame_queue pending_audio;
    int width, height;
    AVFrame *picture;
    struct SwsContext *sws;
    int64_t last_video_ms;
    int64_t frame_ms;
    int64_t last_keyframe_ms;
    int last_width, last_height;
    ml_audio_line line;
} track_job;

static int even(int value) { return FFMAX(value - value % 2, 2); }

static int on_video(track_job *job, const AVFrame *frame) {
    int64_t ms = ml_input_frame_time(&job->input, AVMEDIA_TYPE_VIDEO, frame, ML_MS);
    if (job->last_video_ms == AV_NOPTS_VALUE) {
        ms = 0; // the first picture stands from the track's start
    } else {
        if (ms == AV_NOPTS_VALUE) ms = job->last_video_ms + job->frame_ms;
        if (ms <= job->last_video_ms) ms = job->last_video_ms + 1;
        if (ms - job->last_video_ms <= ML_MEDIA_GAP_THRESHOLD_MS) job->frame_ms = ms - job->last_video_ms;
    }
    if (job->last_width && (frame->width != job->last_width || frame->height != job->last_height)) job->report->resolution_changes++;
    job->last_width = frame->width;
    job->last_height = frame->height;

    AVFrame *clone = NULL, *out;
    if (frame->format == AV_PIX_FMT_YUV420P && frame->width == job->width && frame->height == job->height) {
        out = clone = av_frame_clone(frame);
        if (clone == NULL) return ml_fail(job->report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    } else {
        if (job->picture == NULL && (job->picture = ml_picture_alloc(job->width, job->height)) == NULL) {
            return ml_fail(job->report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
        }
        if (av_frame_make_writable(job->picture) < 0) return ml_fail(job->report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
        if (ml_fit_into(&job->sws, frame, job->picture, 0, 0, job->width, job->height) < 0) {
            job->input.decode_errors++; // a picture swscale cannot read: skipped, the one before lasts
            return 0;
        }
        out = job->picture;
    }
    out->pts = ms;
    out->pict_type = AV_PICTURE_TYPE_NONE;
    if (job->last_keyframe_ms == AV_NOPTS_VALUE || ms + job->frame_ms > job->last_keyframe_ms + job->options.keyframe_interval_ms) {
        out->pict_type = AV_PICTURE_TYPE_I; // the next picture would come too late for a keyframe: this one is
        job->last_keyframe_ms = ms;
    }
    int ret = ml_sink_video(&job->sink, out, job->report);
    av_frame_free(&clone);
    job->last_video_ms = ms;
    return ret;
}

/// Encodes whole frames of what the audio line holds, up to `end` (samples); a short last frame only when `final`.
static int drain_audio(track_job *job, int64_t end, int final) {
    int frame_size = job->sink.audio_encoder->frame_size;
    while (job->line.read_position < end) {
        int64_t left = end - job->line.read_position;
        if (left < frame_size && !final) break;
        int ret = ml_sink_audio_from_line(&job->sink, &job->line, (int)FFMIN(left, frame_size), job->report);
        if (ret != 0) return ret;
    }
    return 0;
}

static int on_audio(track_job *job, const AVFrame *frame) {
    if (job->sink.audio_encoder == NULL) return 0;
    int64_t position = ml_input_frame_time(&job->input, AVMEDIA_TYPE_AUDIO, frame, (AVRational){1, ML_AUDIO_RATE});
    int ret = ml_audio_line_push(&job->line, frame, position);
    if (ret < 0) return ml_fail(job->report, ML_MEDIA_ERR_CODEC, "cannot convert the audio", ret);
    return drain_audio(job, job->line.end_position, 0);
}

/// Opens the sink once the output's size is known (or will never be), then feeds it what was held back.
static int open_sink(track_job *job, int at_end) {
    const ml_input *input = &job->input;
    int video = job->first_video != NULL;
    if (video) {
        job->width = even(job->first_video->width);
        job->height = even(job->first_video->height);
    } else if (!at_end && input->video_index >= 0) { // no picture yet after many audio frames: the declared size
        const AVCodecParameters *par = input->format->streams[input->video_index]->codecpar;
        video = par->width > 0 && par->height > 0;
        job->width = even(par->width);
        job->height = even(par->height);
    }
    if (video && (job->width > max_side || job->height > max_side)) { // an absurd size: fitted into max_side, aspect kept
        double scale = (double)max_side / FFMAX(job->width, job->height);
        job->width = even((int)(job->width * scale));
        job->height = even((int)(job->height * scale));
    }
    int audio = input->audio_index >= 0 && (!at_end || job->pending_audio.count > 0);
    if (!video && !audio) return ml_fail(job->report, ML_MEDIA_ERR_NO_STREAM, "no decodable stream", 0);
    int channels = job->options.audio_channels;
    if (channels == 0 && audio) channels = input->audio_decoder->ch_layout.nb_channels >= 2 ? 2 : 1;
    AVRational rate = video ? input->format->streams[input->video_index]->avg_frame_rate : (AVRational){0, 1};
    double fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
    if (fps < 1 || fps > 120) {
        rate = (AVRational){30, 1};
        fps = 30;
    }
    ml_sink_config config = {
        .mp4_path = job->output,
        .options = &job->options,
        .video = video,
        .width = job->width,
        .height = job->height,
        .video_time_base = ML_MS,
        .frame_rate = rate,
        .gop = FFMAX((int)(2 * fps * job->options.keyframe_interval_ms / 1000), 2), // a backstop: keyframes are forced by time
        .audio = audio,
        .channels = channels,
    };
    int ret = ml_sink_open(&job->sink, &config, job->report);
    job->sink_open = 1;
    if (ret == 0 && audio) ret = ml_audio_line_init(&job->line, channels);
    if (ret == 0 && video && job->first_video != NULL) ret = on_video(job, job->first_video);
    av_frame_free(&job->first_video);
    AVFrame *frame;
    while ((frame = ml_queue_pop(&job->pending_audio)) != NULL) {
        if (ret == 0) ret = on_audio(job, frame);
        av_frame_free(&frame);
    }
    return ret;
}

static int on_frame(void *context, ml_input *input, enum AVMediaType type, AVFrame *frame) {
    track_job *job = context;
    if (job->sink_open) return type == AVMEDIA_TYPE_VIDEO ? on_video(job, frame) : on_audio(job, frame);
    if (type == AVMEDIA_TYPE_VIDEO && job->first_video == NULL) {
        if ((job->first_video = av_frame_clone(frame)) == NULL) return ml_fail(job->report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    } else if (type == AVMEDIA_TYPE_AUDIO) {
        AVFrame *clone = av_frame_clone(frame);
        if (clone == NULL || ml_queue_push(&job->pending_audio, clone) < 0) return ml_fail(job->report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    }
    if (job->first_video != NULL || input->video_index < 0 || job->pending_audio.count >= max_pending_audio) return open_sink(job, 0);
    return 0;
}

static int finish(track_job *job) {
    ml_media_report *report = job->report;
    int ret = job->sink_open ? 0 : open_sink(job, 1);
    if (ret != 0) return ret;
    int has_video = job->sink.video_encoder != NULL && job->last_video_ms != AV_NOPTS_VALUE;
    int64_t end_ms = has_video ? job->last_video_ms + job->frame_ms : 0;
    if (job->sink.audio_encoder != NULL) {
        int64_t placed = job->line.end_position;
        int64_t end = FFMAX(placed, av_rescale(end_ms, ML_AUDIO_RATE, 1000)); // silence to the video's end
        ret = drain_audio(job, end, 1);
        if (ret != 0) return ret;
        report->silence_ms = av_rescale(job->line.silence_samples + end - placed, 1000, ML_AUDIO_RATE);
        report->audio_duration_ms = av_rescale(end, 1000, ML_AUDIO_RATE);
        end_ms = FFMAX(end_ms, report->audio_duration_ms);
    }
    ret = ml_sink_finish(&job->sink, end_ms, report); // the last picture lasts to the end
    if (ret != 0) return ret;
    report->has_video = has_video;
    report->has_audio = job->sink.audio_encoder != NULL;
    report->width = has_video ? job->width : 0;
    report->height = has_video ? job->height : 0;
    report->video_duration_ms = has_video ? end_ms : 0;
    report->duration_ms = end_ms;
    report->video_frames = job->sink.video_frames;
    return 0;
}

int ml_media_transcode_track(const char *input, const char *output_mp4, const ml_media_options *opts, ml_media_report *report) {
    if (report == NULL) return ML_MEDIA_ERR_ARGUMENT;
    ml_report_reset(report);
    track_job job;
    memset(&job, 0, sizeof(job));
    job.output = output_mp4;
    job.report = report;
    job.last_video_ms = job.last_keyframe_ms = AV_NOPTS_VALUE;
    job.frame_ms = 33;
    int ret = ml_options_resolve(opts, &job.options, report);
    if (ret == 0 && (output_mp4 == NULL || output_mp4[0] == '\0')) ret = ml_fail(report, ML_MEDIA_ERR_ARGUMENT, "no output path", 0);
    if (ret == 0) ret = ml_input_open(&job.input, input, 1, report);
    while (ret == 0) {
        int step = ml_input_step(&job.input, on_frame, &job);
        if (step < 0) ret = -step; // the status on_frame stopped with
        if (step <= 0) break;
    }
    if (ret == 0) ret = finish(&job);
    report->decode_errors = job.input.decode_errors;
    if (job.input.format != NULL) ml_gaps_export(&job.input.gaps, job.input.origin_ms, report);
    if (job.sink_open) ml_sink_free(&job.sink);
    ml_audio_line_free(&job.line);
    ml_queue_free(&job.pending_audio);
    av_frame_free(&job.first_video);
    av_frame_free(&job.picture);
    sws_freeContext(job.sws);
    ml_input_close(&job.input);
    return ret;
}

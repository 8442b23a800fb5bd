// Errors, options, gaps, the frame queue and the picture helpers.

#include "cmedia_internal.h"

#include <libavutil/error.h>
#include <libavutil/log.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ml_media_version(void) { return (int)avformat_version(); }

void ml_media_set_log_level(int level) { av_log_set_level(level); }

void ml_report_reset(ml_media_report *report) {
    memset(report, 0, sizeof(*report));
    report->failed_input = -1;
}

int ml_fail(ml_media_report *report, int status, const char *what, int averr) {
    if (report->error[0] != '\0') return status; // keep the first, most specific message
    if (averr != 0) {
        char text[AV_ERROR_MAX_STRING_SIZE] = {0};
        av_strerror(averr, text, sizeof(text));
        snprintf(report->error, sizeof(report->error), "%s: %s", what, text);
    } else {
        snprintf(report->error, sizeof(report->error), "%s", what);
    }
    return status;
}

void ml_media_options_init(ml_media_options *opts) {
    memset(opts, 0, sizeof(*opts));
    opts->canvas_width = 1280;
    opts->canvas_height = 720;
    opts->fps = 30;
    opts->crf = 23;
    opts->preset = "veryfast";
    opts->keyframe_interval_ms = 2000;
    opts->hls_segment_ms = 4000;
}

int ml_options_resolve(const ml_media_options *given, ml_media_options *out, ml_media_report *report) {
    ml_media_options_init(out);
    if (given == NULL) return ML_MEDIA_OK;
    *out = *given;
    if (out->preset == NULL || out->preset[0] == '\0') out->preset = "veryfast";
    int ok = out->canvas_width >= 64 && out->canvas_width <= 4096 && out->canvas_width % 2 == 0 && out->canvas_height >= 64 &&
             out->canvas_height <= 4096 && out->canvas_height % 2 == 0 && out->fps >= 1 && out->fps <= 60 && out->crf >= 0 &&
             out->crf <= 51 && out->keyframe_interval_ms >= 100 && out->keyframe_interval_ms <= 60000 && out->audio_bitrate >= 0 &&
             out->audio_bitrate <= 512000 && out->audio_channels >= 0 && out->audio_channels <= 2 && out->hls_segment_ms >= 500 &&
             out->hls_segment_ms <= 60000 && out->threads >= 0 && out->threads <= 64;
    return ok ? ML_MEDIA_OK : ml_fail(report, ML_MEDIA_ERR_ARGUMENT, "options out of range", 0);
}

// ---- gaps

#define ML_GAPS_MAX_KEPT 4096

void ml_gaps_add(ml_gaps *gaps, int64_t start_ms, int64_t length_ms) {
    if (gaps->count == gaps->capacity) {
        int capacity = gaps->capacity ? gaps->capacity * 2 : 16;
        ml_media_gap *items = capacity <= ML_GAPS_MAX_KEPT ? av_realloc_array(gaps->items, capacity, sizeof(*items)) : NULL;
        if (items == NULL) {
            gaps->dropped++; // counted, not listed
            return;
        }
        gaps->items = items;
        gaps->capacity = capacity;
    }
    gaps->items[gaps->count++] = (ml_media_gap){start_ms, length_ms};
}

static int gap_order(const void *a, const void *b) {
    int64_t x = ((const ml_media_gap *)a)->start_ms, y = ((const ml_media_gap *)b)->start_ms;
    return (x > y) - (x < y);
}

void ml_gaps_export(ml_gaps *gaps, int64_t origin_ms, ml_media_report *report) {
    report->gap_count = 0;
    if (gaps->count > 0) qsort(gaps->items, gaps->count, sizeof(*gaps->items), gap_order);
    int merged = 0;
    for (int i = 0; i < gaps->count; i++) {
        ml_media_gap gap = gaps->items[i];
        if (merged > 0) {
            ml_media_gap *last = &gaps->items[merged - 1];
            if (gap.start_ms <= last->start_ms + last->length_ms) { // overlaps: one stretch without media
                int64_t end = FFMAX(last->start_ms + last->length_ms, gap.start_ms + gap.length_ms);
                last->length_ms = end - last->start_ms;
                continue;
            }
        }
        gaps->items[merged++] = gap;
    }
    gaps->count = merged;
    report->gap_count = merged + gaps->dropped;
    for (int i = 0; i < merged && i < ML_MEDIA_MAX_GAPS; i++) {
        report->gaps[i].start_ms = gaps->items[i].start_ms - (origin_ms == AV_NOPTS_VALUE ? 0 : origin_ms);
        report->gaps[i].length_ms = gaps->items[i].length_ms;
    }
}

void ml_gaps_free(ml_gaps *gaps) {
    av_freep(&gaps->items);
    gaps->count = gaps->capacity = gaps->dropped = 0;
}

// ---- timelines

void ml_timeline_init(ml_timeline *line, const AVStream *stream) {
    line->first_ms = line->end_ms = AV_NOPTS_VALUE;
    line->packets = 0;
    line->nominal_ms = 0;
    if (stream == NULL) return;
    const AVCodecParameters *par = stream->codecpar;
    if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
        AVRational rate = stream->avg_frame_rate.num > 0 && stream->avg_frame_rate.den > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
        double fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
        line->nominal_ms = fps >= 1 && fps <= 240 ? (int64_t)(1000 / fps + 0.5) : 33;
    } else if (par->codec_type == AVMEDIA_TYPE_AUDIO && par->frame_size > 0 && par->sample_rate > 0) {
        line->nominal_ms = av_rescale(par->frame_size, 1000, par->sample_rate);
    }
}

void ml_timeline_add(ml_timeline *line, int64_t ms, int64_t duration_ms, ml_gaps *gaps) {
    if (duration_ms <= 0 || duration_ms > 10000) duration_ms = line->nominal_ms;
    if (line->packets == 0) {
        line->first_ms = ms;
        line->end_ms = ms + duration_ms;
    } else {
        if (ms - line->end_ms > ML_MEDIA_GAP_THRESHOLD_MS) ml_gaps_add(gaps, line->end_ms, ms - line->end_ms);
        if (ms + duration_ms > line->end_ms) line->end_ms = ms + duration_ms;
    }
    line->packets++;
}

// ---- frame queue

int ml_queue_push(ml_frame_queue *queue, AVFrame *frame) {
    if (queue->count == queue->capacity) {
        int capacity = queue->capacity ? queue->capacity * 2 : 16;
        AVFrame **items = av_malloc_array(capacity, sizeof(*items));
        if (items == NULL) {
            av_frame_free(&frame);
            return AVERROR(ENOMEM);
        }
        for (int i = 0; i < queue->count; i++) items[i] = queue->items[(queue->head + i) % queue->capacity];
        av_free(queue->items);
        queue->items = items;
        queue->head = 0;
        queue->capacity = capacity;
    }
    queue->items[(queue->head + queue->count) % queue->capacity] = frame;
    queue->count++;
    return 0;
}

AVFrame *ml_queue_first(const ml_frame_queue *queue) { return queue->count ? queue->items[queue->head] : NULL; }

AVFrame *ml_queue_last(const ml_frame_queue *queue) {
    return queue->count ? queue->items[(queue->head + queue->count - 1) % queue->capacity] : NULL;
}

AVFrame *ml_queue_pop(ml_frame_queue *queue) {
    if (queue->count == 0) return NULL;
    AVFrame *frame = queue->items[queue->head];
    queue->head = (queue->head + 1) % queue->capacity;
    queue->count--;
    return frame;
}

void ml_queue_free(ml_frame_queue *queue) {
    AVFrame *frame;
    while ((frame = ml_queue_pop(queue)) != NULL) av_frame_free(&frame);
    av_freep(&queue->items);
    queue->head = queue->count = queue->capacity = 0;
}

// ---- pictures

AVFrame *ml_picture_alloc(int w, int h) {
    AVFrame *frame = av_frame_alloc();
    if (frame == NULL) return NULL;
    frame->format = AV_PIX_FMT_YUV420P;
    frame->width = w;
    frame->height = h;
    if (av_frame_get_buffer(frame, 0) < 0) av_frame_free(&frame);
    return frame;
}

void ml_fill_rect(AVFrame *frame, int x, int y, int w, int h, uint8_t luma) {
    for (int row = 0; row < h; row++) memset(frame->data[0] + (y + row) * frame->linesize[0] + x, luma, w);
    for (int plane = 1; plane <= 2; plane++) {
        for (int row = 0; row < h / 2; row++) memset(frame->data[plane] + (y / 2 + row) * frame->linesize[plane] + x / 2, 128, w / 2);
    }
}

void ml_blit(const AVFrame *src, AVFrame *dst, int x, int y) {
    for (int plane = 0; plane < 3; plane++) {
        int shift = plane ? 1 : 0;
        int rows = src->height >> shift, bytes = src->width >> shift;
        for (int row = 0; row < rows; row++) {
            memcpy(dst->data[plane] + ((y >> shift) + row) * dst->linesize[plane] + (x >> shift), src->data[plane] + row * src->linesize[plane], bytes);
        }
    }
}

static int even_floor(double value) {
    int v = (int)value;
    v -= v % 2;
    return v < 2 ? 2 : v;
}

int ml_fit_into(struct SwsContext **sws, const AVFrame *src, AVFrame *dst, int x, int y, int w, int h) {
    if (src->width <= 0 || src->height <= 0) return AVERROR(EINVAL);
    double sar = src->sample_aspect_ratio.num > 0 && src->sample_aspect_ratio.den > 0 ? av_q2d(src->sample_aspect_ratio) : 1.0;
    double display_w = src->width * sar, display_h = src->height;
    double scale = FFMIN(w / display_w, h / display_h);
    int fit_w = FFMIN(even_floor(display_w * scale + 0.5), w), fit_h = FFMIN(even_floor(display_h * scale + 0.5), h);
    int fit_x = x + (w - fit_w) / 2, fit_y = y + (h - fit_h) / 2;
    fit_x -= fit_x % 2;
    fit_y -= fit_y % 2;
    *sws = sws_getCachedContext(*sws, src->width, src->height, src->format, fit_w, fit_h, AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL, NULL);
    if (*sws == NULL) return AVERROR(EINVAL);
    if (fit_w != w || fit_h != h) ml_fill_rect(dst, x, y, w, h, ML_LUMA_BLACK);
    uint8_t *planes[4] = {
        dst->data[0] + fit_y * dst->linesize[0] + fit_x,
        dst->data[1] + fit_y / 2 * dst->linesize[1] + fit_x / 2,
        dst->data[2] + fit_y / 2 * dst->linesize[2] + fit_x / 2,
        NULL,
    };
    int ret = sws_scale(*sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height, planes, dst->linesize);
    return ret < 0 ? ret : 0;
}

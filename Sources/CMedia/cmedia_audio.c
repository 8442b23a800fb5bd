// The audio line: decoded audio converted to 48 kHz float planar and placed on a sample timeline by timestamp, so a
// gap reads as silence and a late start as silence before it, without ever holding the silence in memory.

#include "cmedia_internal.h"

#include <string.h>

/// Timestamp jitter under this (20 ms at 48 kHz) is not a hole or an overlap: the piece goes right after the last.
static const int64_t jitter_samples = 960;

int ml_audio_line_init(ml_audio_line *line, int channels) {
    memset(line, 0, sizeof(*line));
    line->channels = channels;
    line->swr_format = -1;
    av_channel_layout_default(&line->layout, channels);
    return 0;
}

void ml_audio_line_free(ml_audio_line *line) {
    swr_free(&line->swr);
    av_channel_layout_uninit(&line->layout);
    av_channel_layout_uninit(&line->swr_layout);
    for (int i = 0; i < line->count; i++) av_free(line->chunks[line->head + i].data);
    av_freep(&line->chunks);
    av_freep(&line->scratch);
    line->count = line->head = line->capacity = 0;
}

/// (Re)creates the resampler when the decoded audio's format, rate or layout is not the one it was made for.
static int configure(ml_audio_line *line, const AVFrame *frame) {
    if (line->swr != NULL && frame->format == line->swr_format && frame->sample_rate == line->swr_rate &&
        av_channel_layout_compare(&frame->ch_layout, &line->swr_layout) == 0) {
        return 0;
    }
    swr_free(&line->swr);
    av_channel_layout_uninit(&line->swr_layout);
    if (frame->sample_rate <= 0 || frame->ch_layout.nb_channels <= 0) return AVERROR(EINVAL);
    AVChannelLayout in = {0};
    int ret = frame->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC ? (av_channel_layout_default(&in, frame->ch_layout.nb_channels), 0)
                                                                : av_channel_layout_copy(&in, &frame->ch_layout);
    if (ret >= 0) {
        ret = swr_alloc_set_opts2(&line->swr, &line->layout, AV_SAMPLE_FMT_FLTP, ML_AUDIO_RATE, &in, frame->format, frame->sample_rate, 0, NULL);
    }
    if (ret >= 0) ret = swr_init(line->swr);
    if (ret >= 0) ret = av_channel_layout_copy(&line->swr_layout, &frame->ch_layout);
    av_channel_layout_uninit(&in);
    if (ret < 0) {
        swr_free(&line->swr);
        return ret;
    }
    line->swr_format = frame->format;
    line->swr_rate = frame->sample_rate;
    return 0;
}

static int append_chunk(ml_audio_line *line, int64_t position, const float *samples, int stride, int count) {
    if (line->head + line->count == line->capacity) {
        if (line->head > 0) {
            memmove(line->chunks, line->chunks + line->head, line->count * sizeof(*line->chunks));
            line->head = 0;
        } else {
            int capacity = line->capacity ? line->capacity * 2 : 64;
            ml_audio_chunk *chunks = av_realloc_array(line->chunks, capacity, sizeof(*chunks));
            if (chunks == NULL) return AVERROR(ENOMEM);
            line->chunks = chunks;
            line->capacity = capacity;
        }
    }
    float *data = av_malloc_array((size_t)count * line->channels, sizeof(float));
    if (data == NULL) return AVERROR(ENOMEM);
    for (int ch = 0; ch < line->channels; ch++) memcpy(data + ch * count, samples + ch * stride, count * sizeof(float));
    line->chunks[line->head + line->count++] = (ml_audio_chunk){position, count, data};
    line->end_position = line->placed_end = position + count;
    return 0;
}

int ml_audio_line_push(ml_audio_line *line, const AVFrame *frame, int64_t position) {
    if (frame->nb_samples <= 0) return 0;
    int ret = configure(line, frame);
    if (ret < 0) return ret;
    int room = swr_get_out_samples(line->swr, frame->nb_samples);
    if (room <= 0) return 0;
    if (room > line->scratch_samples) {
        av_freep(&line->scratch);
        line->scratch = av_malloc_array((size_t)room * line->channels, sizeof(float));
        if (line->scratch == NULL) return AVERROR(ENOMEM);
        line->scratch_samples = room;
    }
    uint8_t *planes[2] = {(uint8_t *)line->scratch, (uint8_t *)(line->scratch + (line->channels > 1 ? room : 0))};
    int converted = swr_convert(line->swr, planes, room, (const uint8_t **)frame->extended_data, frame->nb_samples);
    if (converted <= 0) return converted;

    int64_t end = line->end_position;
    int skip = 0;
    if (position == AV_NOPTS_VALUE || FFABS(position - end) <= jitter_samples) {
        position = end;
    } else if (position < end) { // overlaps what is placed (or already read): keep only what comes after it
        if (end - position >= converted) return 0;
        skip = (int)(end - position);
        position = end;
    } else {
        line->silence_samples += position - end; // a hole: it reads as silence
    }
    return append_chunk(line, position, line->scratch + skip, room, converted - skip);
}

void ml_audio_line_read(ml_audio_line *line, float **planes, int samples, int add) {
    int64_t from = line->read_position, to = from + samples;
    if (!add) {
        for (int ch = 0; ch < line->channels; ch++) memset(planes[ch], 0, samples * sizeof(float));
    }
    while (line->count > 0) {
        ml_audio_chunk *chunk = &line->chunks[line->head];
        if (chunk->position >= to) break;
        int64_t start = FFMAX(chunk->position, from), stop = FFMIN(chunk->position + chunk->samples, to);
        for (int ch = 0; ch < line->channels && start < stop; ch++) {
            const float *src = chunk->data + (size_t)ch * chunk->samples + (start - chunk->position);
            float *dst = planes[ch] + (start - from);
            if (add) {
                for (int64_t i = 0; i < stop - start; i++) dst[i] += src[i];
            } else {
                memcpy(dst, src, (stop - start) * sizeof(float));
            }
        }
        if (chunk->position + chunk->samples > to) break;
        av_free(chunk->data);
        line->head++;
        line->count--;
    }
    if (line->count == 0) line->head = 0;
    line->read_position = to;
    if (line->end_position < to) line->end_position = to;
}

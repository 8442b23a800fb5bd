// ml_media_mux: a video file and an audio file (Janus's recordings of one participant, made by janus-pp-rec from
// separate .mjr files) copied, without decoding, into one Matroska file, each stream placed at its own offset.

#include "cmedia_internal.h"

#include <stdio.h>

/// One input of the mux: its file, the stream taken from it and where it goes. Timestamps are in the input stream's
/// time base; `next` holds the next packet to write, already on the output's timeline, while `done` is 0.
typedef struct mux_source {
    AVFormatContext *format;
    int index;     // the input's stream
    AVStream *out; // its output stream (NULL when the input has no packet to write)
    int64_t shift; // added to every timestamp: the offset minus the first packet's pts
    int64_t until; // the latest pts a packet may have (shifted), INT64_MAX for no limit
    int started;   // the first packet was seen (shift holds its pts)
    int64_t last_dts; // of the last packet taken (shifted), INT64_MIN before
    int64_t last_pts;
    AVPacket *next;
    int done;
} mux_source;

static int source_open(mux_source *source, const char *path, enum AVMediaType type, ml_media_report *report) {
    source->index = -1;
    source->last_dts = INT64_MIN;
    source->last_pts = INT64_MIN;
    if (path == NULL || path[0] == '\0') {
        source->done = 1;
        return ML_MEDIA_OK;
    }
    int err = avformat_open_input(&source->format, path, NULL, NULL);
    if (err < 0) return ml_fail(report, ML_MEDIA_ERR_INPUT, "cannot open a mux input", err);
    err = avformat_find_stream_info(source->format, NULL);
    if (err < 0) return ml_fail(report, ML_MEDIA_ERR_INPUT, "cannot read a mux input's streams", err);
    source->index = av_find_best_stream(source->format, type, -1, -1, NULL, 0);
    if (source->index < 0) return ml_fail(report, ML_MEDIA_ERR_NO_STREAM, type == AVMEDIA_TYPE_VIDEO ? "no video stream" : "no audio stream", 0);
    source->next = av_packet_alloc();
    return source->next ? ML_MEDIA_OK : ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
}

/// Puts the packet just read on the output's timeline and says whether it is written (1) or dropped (0). Matroska
/// needs every packet's pts, pts >= dts and the dts of a stream non-decreasing (equal ones are accepted): a packet
/// without any timestamp, or whose dts goes back (a jump back in the recording, a reordered packet), is dropped
/// and counted in decode_errors rather than failing the whole mux. A missing dts is guessed (the later of the last
/// dts and the earlier of its pts and the previous pts: a B-frame stream's first packets, read from Matroska, have
/// none, and their pts are not in decode order); a missing or too early pts becomes the dts. Packets presented
/// before the stream's first one (leading B-frames of an open GOP) are dropped silently; the first packet presented
/// after `until` ends the stream (every packet taken before it in decode order is kept, so no frame loses a
/// reference).
static int source_place(mux_source *source, ml_media_report *report) {
    AVPacket *packet = source->next;
    if (packet->pts == AV_NOPTS_VALUE && packet->dts == AV_NOPTS_VALUE) {
        report->decode_errors++;
        return 0;
    }
    if (!source->started) {
        // The stream's first packet is its first presented frame: it lands exactly at the offset.
        source->shift -= packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
        source->started = 1;
    }
    if (packet->pts != AV_NOPTS_VALUE) packet->pts += source->shift;
    if (packet->dts != AV_NOPTS_VALUE) packet->dts += source->shift;
    if (packet->dts == AV_NOPTS_VALUE)
        packet->dts = source->last_dts == INT64_MIN ? packet->pts : FFMAX(source->last_dts, FFMIN(packet->pts, source->last_pts));
    if (packet->dts < source->last_dts) {
        report->decode_errors++;
        return 0;
    }
    if (packet->pts == AV_NOPTS_VALUE || packet->pts < packet->dts) packet->pts = packet->dts;
    if (packet->pts < 0) return 0;
    if (packet->pts > source->until) {
        source->done = 1;
        return 0;
    }
    source->last_dts = packet->dts;
    source->last_pts = packet->pts;
    return 1;
}

/// Reads the source's next packet to write into `next`; `done` at the end (of the file or of the window).
static int source_read(mux_source *source, ml_media_report *report) {
    while (!source->done) {
        int err = av_read_frame(source->format, source->next);
        if (err == AVERROR_EOF) {
            source->done = 1;
            break;
        }
        if (err < 0) return ml_fail(report, ML_MEDIA_ERR_INPUT, "cannot read a mux input", err);
        if (source->next->stream_index == source->index && source_place(source, report)) return ML_MEDIA_OK;
        av_packet_unref(source->next);
    }
    if (source->next) av_packet_unref(source->next);
    return ML_MEDIA_OK;
}

/// The next packet's decode time in microseconds, shifted.
static int64_t source_time(const mux_source *source) {
    return av_rescale_q(source->next->dts, source->format->streams[source->index]->time_base, AV_TIME_BASE_Q);
}

static void source_close(mux_source *source) {
    av_packet_free(&source->next);
    avformat_close_input(&source->format);
}

int ml_media_mux(const char *video, int64_t video_offset_ms, const char *audio, int64_t audio_offset_ms, int64_t until_ms,
                 const char *output, ml_media_report *report) {
    if (report == NULL) return ML_MEDIA_ERR_ARGUMENT;
    ml_report_reset(report);
    if (output == NULL || output[0] == '\0' || ((video == NULL || video[0] == '\0') && (audio == NULL || audio[0] == '\0')) ||
        video_offset_ms < 0 || audio_offset_ms < 0 || video_offset_ms > 86400000 || audio_offset_ms > 86400000)
        return ml_fail(report, ML_MEDIA_ERR_ARGUMENT, "a mux needs an output, an input and offsets of 0...24 h", 0);
    mux_source sources[2] = {{0}, {0}};
    const int64_t offsets[2] = {video_offset_ms, audio_offset_ms};
    AVFormatContext *out = NULL;
    int opened = 0;
    int status = source_open(&sources[0], video, AVMEDIA_TYPE_VIDEO, report);
    if (status == ML_MEDIA_OK) status = source_open(&sources[1], audio, AVMEDIA_TYPE_AUDIO, report);
    if (status == ML_MEDIA_OK) {
        int err = avformat_alloc_output_context2(&out, NULL, "matroska", output);
        if (err < 0 || out == NULL) status = ml_fail(report, ML_MEDIA_ERR_OUTPUT, "cannot create the mux output", err);
    }
    for (int i = 0; status == ML_MEDIA_OK && i < 2; i++) {
        mux_source *source = &sources[i];
        if (source->index < 0) continue;
        AVStream *in = source->format->streams[source->index];
        source->shift = av_rescale_q(offsets[i], ML_MS, in->time_base);
        source->until = until_ms < 0 ? INT64_MAX : av_rescale_q(until_ms, ML_MS, in->time_base);
        status = source_read(source, report);
        if (status != ML_MEDIA_OK || source->done) continue; // no packet to write: the output has no such stream
        source->out = avformat_new_stream(out, NULL);
        if (source->out == NULL) {
            status = ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
            break;
        }
        int err = avcodec_parameters_copy(source->out->codecpar, in->codecpar);
        if (err < 0) {
            status = ml_fail(report, ML_MEDIA_ERR_OUTPUT, "cannot copy a stream's parameters", err);
            break;
        }
        source->out->codecpar->codec_tag = 0;
        source->out->time_base = in->time_base;
        if (i == 0) report->has_video = 1, report->width = in->codecpar->width, report->height = in->codecpar->height;
        else report->has_audio = 1;
    }
    if (status == ML_MEDIA_OK && !report->has_video && !report->has_audio)
        status = ml_fail(report, ML_MEDIA_ERR_NO_STREAM, "no packet to mux (the inputs are empty or begin after until_ms)", 0);
    if (status == ML_MEDIA_OK) {
        int err = avio_open(&out->pb, output, AVIO_FLAG_WRITE);
        if (err < 0) status = ml_fail(report, ML_MEDIA_ERR_OUTPUT, "cannot open the mux output", err);
        else opened = 1;
    }
    if (status == ML_MEDIA_OK) {
        int err = avformat_write_header(out, NULL);
        if (err < 0) status = ml_fail(report, ML_MEDIA_ERR_OUTPUT, "cannot write the mux header", err);
    }
    int64_t end_us = 0;
    // Two-way merge on the shifted decode times: the output is interleaved without buffering either input whole.
    while (status == ML_MEDIA_OK && !(sources[0].done && sources[1].done)) {
        int pick = sources[0].done ? 1 : sources[1].done ? 0 : (source_time(&sources[0]) <= source_time(&sources[1]) ? 0 : 1);
        mux_source *source = &sources[pick];
        AVPacket *packet = source->next;
        AVRational base = source->format->streams[source->index]->time_base;
        end_us = FFMAX(end_us, av_rescale_q(packet->pts + FFMAX(packet->duration, 0), base, AV_TIME_BASE_Q));
        if (pick == 0) report->video_frames++;
        packet->stream_index = source->out->index;
        av_packet_rescale_ts(packet, base, source->out->time_base);
        int err = av_interleaved_write_frame(out, packet);
        if (err < 0) status = ml_fail(report, ML_MEDIA_ERR_OUTPUT, "cannot write a muxed packet", err);
        if (status == ML_MEDIA_OK) status = source_read(source, report);
    }
    if (status == ML_MEDIA_OK) {
        int err = av_write_trailer(out);
        if (err < 0) status = ml_fail(report, ML_MEDIA_ERR_OUTPUT, "cannot finish the mux output", err);
        report->duration_ms = end_us / 1000;
    }
    if (opened) avio_closep(&out->pb);
    avformat_free_context(out);
    for (int i = 0; i < 2; i++) source_close(&sources[i]);
    if (status != ML_MEDIA_OK && opened) remove(output);
    return status;
}

// The input: one file, its best video and audio streams, their decoders, and the packets' timelines.

#include "cmedia_internal.h"

#include <string.h>

/// Demuxers a recording may come in (MediaRecorder: WebM in Chrome/Firefox, MP4 in Safari). Anything else, playlists
/// and concat lists above all (they open other files), is refused.
static const char *const accepted_formats = "matroska,webm,mov,mp4,m4a,3gp,3g2,mj2,ogg,wav";
/// av_read_frame errors in a row after which the rest of the file is given up.
static const int max_consecutive_read_errors = 64;

static int open_decoder(ml_input *input, int index, AVCodecContext **out) {
    const AVStream *stream = input->format->streams[index];
    const AVCodec *codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (codec == NULL) return AVERROR_DECODER_NOT_FOUND;
    AVCodecContext *decoder = avcodec_alloc_context3(codec);
    if (decoder == NULL) return AVERROR(ENOMEM);
    int ret = avcodec_parameters_to_context(decoder, stream->codecpar);
    if (ret >= 0) {
        decoder->pkt_timebase = stream->time_base;
        decoder->thread_count = 1; // no frame threading: a packet's frame comes out right away
        ret = avcodec_open2(decoder, codec, NULL);
    }
    if (ret < 0) {
        avcodec_free_context(&decoder);
        return ret;
    }
    *out = decoder;
    return 0;
}

static int best_stream(AVFormatContext *format, enum AVMediaType type) {
    int index = av_find_best_stream(format, type, -1, -1, NULL, 0);
    if (index < 0) return -1;
    if (format->streams[index]->disposition & AV_DISPOSITION_ATTACHED_PIC) return -1; // cover art, not a track
    return index;
}

int ml_input_open(ml_input *input, const char *path, int decode, ml_media_report *report) {
    memset(input, 0, sizeof(*input));
    input->video_index = input->audio_index = -1;
    input->origin_ms = AV_NOPTS_VALUE;
    ml_timeline_init(&input->video_line, NULL);
    ml_timeline_init(&input->audio_line, NULL);
    if (path == NULL || path[0] == '\0') return ml_fail(report, ML_MEDIA_ERR_ARGUMENT, "no input path", 0);
    input->packet = av_packet_alloc();
    input->frame = av_frame_alloc();
    char *url = av_asprintf("file:%s", path);
    if (input->packet == NULL || input->frame == NULL || url == NULL) {
        av_free(url);
        return ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    }
    AVDictionary *options = NULL;
    av_dict_set(&options, "format_whitelist", accepted_formats, 0);
    av_dict_set(&options, "protocol_whitelist", "file", 0);
    int ret = avformat_open_input(&input->format, url, NULL, &options);
    av_dict_free(&options);
    av_free(url);
    if (ret < 0) {
        int unreadable = ret == AVERROR_INVALIDDATA || ret == AVERROR_EOF || ret == AVERROR(EINVAL); // EINVAL: a refused format
        return ml_fail(report, ML_MEDIA_ERR_INPUT, unreadable ? "invalid data: not a recording this can read" : "cannot open the input", ret);
    }
    ret = avformat_find_stream_info(input->format, NULL);
    if (ret < 0) return ml_fail(report, ML_MEDIA_ERR_INPUT, "invalid data: no stream information", ret);

    input->video_index = best_stream(input->format, AVMEDIA_TYPE_VIDEO);
    input->audio_index = best_stream(input->format, AVMEDIA_TYPE_AUDIO);
    if (decode) {
        if (input->video_index >= 0 && open_decoder(input, input->video_index, &input->video_decoder) < 0) input->video_index = -1;
        if (input->audio_index >= 0 && open_decoder(input, input->audio_index, &input->audio_decoder) < 0) input->audio_index = -1;
    }
    if (input->video_index < 0 && input->audio_index < 0) return ml_fail(report, ML_MEDIA_ERR_NO_STREAM, "no decodable stream", 0);
    for (unsigned i = 0; i < input->format->nb_streams; i++) {
        if ((int)i != input->video_index && (int)i != input->audio_index) input->format->streams[i]->discard = AVDISCARD_ALL;
    }
    if (input->video_index >= 0) ml_timeline_init(&input->video_line, input->format->streams[input->video_index]);
    if (input->audio_index >= 0) ml_timeline_init(&input->audio_line, input->format->streams[input->audio_index]);
    return ML_MEDIA_OK;
}

void ml_input_close(ml_input *input) {
    avcodec_free_context(&input->video_decoder);
    avcodec_free_context(&input->audio_decoder);
    avformat_close_input(&input->format);
    av_packet_free(&input->packet);
    av_frame_free(&input->frame);
    ml_gaps_free(&input->gaps);
}

/// Sends a packet (NULL: flush) and hands every frame that comes out to fn.
static int decode(ml_input *input, AVCodecContext *decoder, enum AVMediaType type, const AVPacket *packet, ml_frame_fn fn, void *context) {
    int ret = avcodec_send_packet(decoder, packet);
    if (ret < 0 && ret != AVERROR_EOF && packet != NULL) input->decode_errors++; // corrupt packet: skipped
    for (;;) {
        ret = avcodec_receive_frame(decoder, input->frame);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return 0;
        if (ret < 0) {
            input->decode_errors++;
            return 0;
        }
        int stop = fn != NULL ? fn(context, input, type, input->frame) : 0;
        av_frame_unref(input->frame);
        if (stop != 0) return stop;
    }
}

static int flush(ml_input *input, ml_frame_fn fn, void *context) {
    int ret = 0;
    if (input->video_decoder != NULL) ret = decode(input, input->video_decoder, AVMEDIA_TYPE_VIDEO, NULL, fn, context);
    if (ret == 0 && input->audio_decoder != NULL) ret = decode(input, input->audio_decoder, AVMEDIA_TYPE_AUDIO, NULL, fn, context);
    return ret;
}

static void note_packet(ml_input *input, const AVPacket *packet, int video) {
    const AVStream *stream = input->format->streams[packet->stream_index];
    int64_t ts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
    if (ts == AV_NOPTS_VALUE) return;
    int64_t ms = av_rescale_q(ts, stream->time_base, ML_MS);
    if (input->origin_ms == AV_NOPTS_VALUE) {
        input->origin_ms = ms;
        input->last_packet_ms = 0;
    }
    int64_t duration = packet->duration > 0 ? av_rescale_q(packet->duration, stream->time_base, ML_MS) : 0;
    ml_timeline_add(video ? &input->video_line : &input->audio_line, ms, duration, &input->gaps);
    input->last_packet_ms = FFMAX(input->last_packet_ms, ms - input->origin_ms);
}

int ml_input_step(ml_input *input, ml_frame_fn fn, void *context) {
    if (input->eof) return 0;
    for (;;) {
        int ret = av_read_frame(input->format, input->packet);
        if (ret < 0) {
            int at_end = ret == AVERROR_EOF || (input->format->pb != NULL && avio_feof(input->format->pb));
            if (!at_end && ++input->consecutive_read_errors < max_consecutive_read_errors) {
                input->decode_errors++; // the demuxer resynchronises on the next cluster
                continue;
            }
            input->eof = 1;
            return -flush(input, fn, context);
        }
        input->consecutive_read_errors = 0;
        int index = input->packet->stream_index;
        if (index != input->video_index && index != input->audio_index) {
            av_packet_unref(input->packet);
            continue;
        }
        int video = index == input->video_index;
        note_packet(input, input->packet, video);
        AVCodecContext *decoder = video ? input->video_decoder : input->audio_decoder;
        ret = decoder != NULL ? decode(input, decoder, video ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO, input->packet, fn, context) : 0;
        av_packet_unref(input->packet);
        return ret != 0 ? -ret : 1;
    }
}

int64_t ml_input_relative(const ml_input *input, int64_t ts, AVRational tb, AVRational unit) {
    if (ts == AV_NOPTS_VALUE) return AV_NOPTS_VALUE;
    int64_t origin = input->origin_ms == AV_NOPTS_VALUE ? 0 : av_rescale_q(input->origin_ms, ML_MS, unit);
    return av_rescale_q(ts, tb, unit) - origin;
}

int64_t ml_input_frame_time(const ml_input *input, enum AVMediaType type, const AVFrame *frame, AVRational unit) {
    int index = type == AVMEDIA_TYPE_VIDEO ? input->video_index : input->audio_index;
    int64_t ts = frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : frame->pts;
    return ml_input_relative(input, ts, input->format->streams[index]->time_base, unit);
}

// The sink: an H.264 and an AAC encoder feeding one MP4 (moov first) and, for the composite, an fMP4 HLS rendition
// of the same packets. Each stream's last packet is held until the next shows its duration, so a frame before a gap
// lasts until the frame after it and the last frame lasts until the given end.

#include "cmedia_internal.h"

#include <libavutil/opt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int open_video_encoder(ml_sink *sink, const ml_sink_config *config, ml_media_report *report) {
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    if (codec == NULL) return ml_fail(report, ML_MEDIA_ERR_CODEC, "libx264 is not available", 0);
    AVCodecContext *encoder = sink->video_encoder = avcodec_alloc_context3(codec);
    if (encoder == NULL) return ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    encoder->width = config->width;
    encoder->height = config->height;
    encoder->pix_fmt = AV_PIX_FMT_YUV420P;
    encoder->sample_aspect_ratio = (AVRational){1, 1};
    encoder->time_base = config->video_time_base;
    encoder->framerate = config->frame_rate;
    encoder->gop_size = config->gop;
    encoder->thread_count = config->options->threads;
    encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER; // MP4 and fMP4 keep SPS/PPS in the header
    char crf[16];
    snprintf(crf, sizeof(crf), "%d", config->options->crf);
    AVDictionary *options = NULL;
    av_dict_set(&options, "preset", config->options->preset, 0);
    av_dict_set(&options, "crf", crf, 0);
    av_dict_set(&options, "forced-idr", "1", 0); // a forced keyframe is an IDR frame
    if (config->constant_gop) av_dict_set(&options, "x264-params", "scenecut=0", 0);
    int ret = avcodec_open2(encoder, codec, &options);
    av_dict_free(&options);
    return ret < 0 ? ml_fail(report, ML_MEDIA_ERR_CODEC, "cannot open the H.264 encoder", ret) : 0;
}

static int open_audio_encoder(ml_sink *sink, const ml_sink_config *config, ml_media_report *report) {
    const AVCodec *codec = avcodec_find_encoder_by_name("aac");
    if (codec == NULL) return ml_fail(report, ML_MEDIA_ERR_CODEC, "the AAC encoder is not available", 0);
    AVCodecContext *encoder = sink->audio_encoder = avcodec_alloc_context3(codec);
    if (encoder == NULL) return ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    encoder->sample_fmt = AV_SAMPLE_FMT_FLTP;
    encoder->sample_rate = ML_AUDIO_RATE;
    av_channel_layout_default(&encoder->ch_layout, config->channels);
    encoder->bit_rate = config->options->audio_bitrate > 0 ? config->options->audio_bitrate : 64000 * config->channels;
    encoder->time_base = (AVRational){1, ML_AUDIO_RATE};
    encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    int ret = avcodec_open2(encoder, codec, NULL);
    if (ret < 0) return ml_fail(report, ML_MEDIA_ERR_CODEC, "cannot open the AAC encoder", ret);
    AVFrame *frame = sink->audio_frame = av_frame_alloc();
    if (frame == NULL) return ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    frame->format = AV_SAMPLE_FMT_FLTP;
    frame->sample_rate = ML_AUDIO_RATE;
    frame->nb_samples = encoder->frame_size;
    ret = av_channel_layout_copy(&frame->ch_layout, &encoder->ch_layout);
    if (ret >= 0) ret = av_frame_get_buffer(frame, 0);
    return ret < 0 ? ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", ret) : 0;
}

static int add_streams(ml_sink *sink, AVFormatContext *muxer, ml_media_report *report) {
    AVCodecContext *encoders[2] = {sink->video_encoder, sink->audio_encoder};
    for (int i = 0; i < 2; i++) {
        if (encoders[i] == NULL) continue;
        AVStream *stream = avformat_new_stream(muxer, NULL);
        if (stream == NULL) return ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
        int ret = avcodec_parameters_from_context(stream->codecpar, encoders[i]);
        if (ret < 0) return ml_fail(report, ML_MEDIA_ERR_OUTPUT, "cannot describe an output stream", ret);
        stream->time_base = encoders[i]->time_base;
    }
    return 0;
}

/// Creates a muxer of `format` writing `url`, with its streams; returns 0 or a status.
static int add_muxer(ml_sink *sink, const char *format, const char *url, ml_media_report *report) {
    AVFormatContext *muxer = NULL;
    int ret = avformat_alloc_output_context2(&muxer, NULL, format, url);
    if (ret < 0 || muxer == NULL) return ml_fail(report, ML_MEDIA_ERR_OUTPUT, "cannot create the output", ret);
    sink->muxers[sink->muxer_count++] = muxer;
    ret = add_streams(sink, muxer, report);
    if (ret != 0) return ret;
    if (!(muxer->oformat->flags & AVFMT_NOFILE)) {
        ret = avio_open(&muxer->pb, url, AVIO_FLAG_WRITE);
        if (ret < 0) return ml_fail(report, ML_MEDIA_ERR_OUTPUT, "cannot create the output file", ret);
    }
    return 0;
}

static int write_headers(ml_sink *sink, const ml_sink_config *config, ml_media_report *report) {
    for (int i = 0; i < sink->muxer_count; i++) {
        AVDictionary *options = NULL;
        if (i == 0) {
            av_dict_set(&options, "movflags", "+faststart", 0); // moov before mdat: plays while downloading
        } else {
            char seconds[32], segments[4096];
            snprintf(seconds, sizeof(seconds), "%.3f", config->options->hls_segment_ms / 1000.0);
            snprintf(segments, sizeof(segments), "%s/segment_%%05d.m4s", config->hls_dir);
            av_dict_set(&options, "hls_segment_type", "fmp4", 0);
            av_dict_set(&options, "hls_time", seconds, 0);
            av_dict_set(&options, "hls_playlist_type", "vod", 0);
            av_dict_set(&options, "hls_list_size", "0", 0);
            av_dict_set(&options, "hls_fmp4_init_filename", "init.mp4", 0);
            av_dict_set(&options, "hls_segment_filename", segments, 0);
            av_dict_set(&options, "hls_flags", "independent_segments", 0);
        }
        int ret = avformat_write_header(sink->muxers[i], &options);
        av_dict_free(&options);
        if (ret < 0) return ml_fail(report, ML_MEDIA_ERR_OUTPUT, i == 0 ? "cannot write the MP4 header" : "cannot start the HLS output", ret);
        sink->headers_written = i + 1;
    }
    return 0;
}

int ml_sink_open(ml_sink *sink, const ml_sink_config *config, ml_media_report *report) {
    memset(sink, 0, sizeof(*sink));
    sink->packet = av_packet_alloc();
    sink->spare = av_packet_alloc();
    sink->held[0] = av_packet_alloc();
    sink->held[1] = av_packet_alloc();
    if (!sink->packet || !sink->spare || !sink->held[0] || !sink->held[1]) return ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    if (config->mp4_path == NULL || config->mp4_path[0] == '\0') return ml_fail(report, ML_MEDIA_ERR_ARGUMENT, "no output path", 0);
    struct stat dir;
    if (config->hls_dir != NULL && (stat(config->hls_dir, &dir) != 0 || !S_ISDIR(dir.st_mode))) {
        return ml_fail(report, ML_MEDIA_ERR_OUTPUT, "the HLS directory does not exist", 0);
    }
    int ret = config->video ? open_video_encoder(sink, config, report) : 0;
    if (ret == 0 && config->audio) ret = open_audio_encoder(sink, config, report);
    if (ret != 0) return ret;
    char *mp4 = av_asprintf("file:%s", config->mp4_path);
    if (mp4 == NULL) return ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    ret = add_muxer(sink, "mp4", mp4, report);
    av_free(mp4);
    if (ret == 0 && config->hls_dir != NULL) {
        char *playlist = av_asprintf("%s/index.m3u8", config->hls_dir);
        if (playlist == NULL) return ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
        ret = add_muxer(sink, "hls", playlist, report);
        av_free(playlist);
    }
    return ret != 0 ? ret : write_headers(sink, config, report);
}

/// Writes a packet (in its encoder's time base) to every muxer; the packet is consumed.
static int write_packet(ml_sink *sink, int kind, AVPacket *packet, ml_media_report *report) {
    AVCodecContext *encoder = kind == 0 ? sink->video_encoder : sink->audio_encoder;
    int stream = kind == 1 && sink->video_encoder != NULL ? 1 : 0;
    if (kind == 0) sink->video_frames++;
    for (int i = 0; i < sink->muxer_count; i++) {
        AVPacket *out = packet;
        if (i < sink->muxer_count - 1) {
            int ret = av_packet_ref(sink->spare, packet);
            if (ret < 0) return ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", ret);
            out = sink->spare;
        }
        out->stream_index = stream;
        av_packet_rescale_ts(out, encoder->time_base, sink->muxers[i]->streams[stream]->time_base);
        int ret = av_interleaved_write_frame(sink->muxers[i], out);
        if (ret < 0) {
            av_packet_unref(packet);
            return ml_fail(report, ML_MEDIA_ERR_OUTPUT, "cannot write the output", ret);
        }
    }
    return 0;
}

/// The pts of the picture sent after the one at `pts` (AV_NOPTS_VALUE if none was, or it is no longer known).
static int64_t next_sent(const ml_sink *sink, int64_t pts) {
    int64_t low = FFMAX(sink->sent_count - ML_SENT_PTS, 0), high = sink->sent_count; // first index with value > pts
    while (low < high) {
        int64_t middle = low + (high - low) / 2;
        if (sink->sent_pts[middle % ML_SENT_PTS] > pts) {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    return low < sink->sent_count ? sink->sent_pts[low % ML_SENT_PTS] : AV_NOPTS_VALUE;
}

/// Writes the held packet of `kind` with its duration, then holds `next` (NULL at the end). A picture lasts until
/// the next picture (in presentation order, so a frame before a gap lasts across it), the last one until `end_pts`;
/// audio keeps the spacing of its packets.
static int hold(ml_sink *sink, int kind, AVPacket *next, int64_t end_pts, ml_media_report *report) {
    AVPacket *held = sink->held[kind];
    if (held->data != NULL) {
        int64_t following = kind == 0 && held->pts != AV_NOPTS_VALUE ? next_sent(sink, held->pts) : AV_NOPTS_VALUE;
        if (following != AV_NOPTS_VALUE) {
            held->duration = following - held->pts;
        } else if (next == NULL && kind == 0 && end_pts != AV_NOPTS_VALUE && held->pts != AV_NOPTS_VALUE && end_pts > held->pts) {
            held->duration = end_pts - held->pts;
        } else if (next != NULL && next->dts != AV_NOPTS_VALUE && held->dts != AV_NOPTS_VALUE && next->dts > held->dts) {
            held->duration = next->dts - held->dts;
        }
        int ret = write_packet(sink, kind, held, report);
        if (ret != 0) return ret;
    }
    if (next != NULL) av_packet_move_ref(held, next);
    return 0;
}

static int encode(ml_sink *sink, int kind, const AVFrame *frame, ml_media_report *report) {
    AVCodecContext *encoder = kind == 0 ? sink->video_encoder : sink->audio_encoder;
    int ret = avcodec_send_frame(encoder, frame);
    if (ret < 0) return ml_fail(report, ML_MEDIA_ERR_CODEC, kind == 0 ? "H.264 encoding failed" : "AAC encoding failed", ret);
    for (;;) {
        ret = avcodec_receive_packet(encoder, sink->packet);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return 0;
        if (ret < 0) return ml_fail(report, ML_MEDIA_ERR_CODEC, kind == 0 ? "H.264 encoding failed" : "AAC encoding failed", ret);
        ret = hold(sink, kind, sink->packet, AV_NOPTS_VALUE, report);
        av_packet_unref(sink->packet);
        if (ret != 0) return ret;
    }
}

int ml_sink_video(ml_sink *sink, AVFrame *frame, ml_media_report *report) {
    sink->sent_pts[sink->sent_count++ % ML_SENT_PTS] = frame->pts;
    return encode(sink, 0, frame, report);
}

AVFrame *ml_sink_audio_frame(ml_sink *sink) {
    if (sink->audio_encoder == NULL) return NULL;
    sink->audio_frame->nb_samples = sink->audio_encoder->frame_size;
    return av_frame_make_writable(sink->audio_frame) < 0 ? NULL : sink->audio_frame;
}

int ml_sink_audio(ml_sink *sink, int samples, ml_media_report *report) {
    AVFrame *frame = sink->audio_frame;
    frame->nb_samples = samples;
    frame->pts = sink->audio_samples;
    sink->audio_samples += samples;
    return encode(sink, 1, frame, report);
}

int ml_sink_audio_from_line(ml_sink *sink, ml_audio_line *line, int samples, ml_media_report *report) {
    AVFrame *frame = ml_sink_audio_frame(sink);
    if (frame == NULL) return ml_fail(report, ML_MEDIA_ERR_MEMORY, "out of memory", 0);
    ml_audio_line_read(line, (float **)frame->data, samples, 0);
    return ml_sink_audio(sink, samples, report);
}

int ml_sink_finish(ml_sink *sink, int64_t video_end_pts, ml_media_report *report) {
    int ret = 0;
    if (sink->video_encoder != NULL) {
        ret = encode(sink, 0, NULL, report);
        if (ret == 0) ret = hold(sink, 0, NULL, video_end_pts, report);
        // (the last packet in decoding order may not be the last picture: that one got its duration when written)
    }
    if (ret == 0 && sink->audio_encoder != NULL) {
        ret = encode(sink, 1, NULL, report);
        if (ret == 0) ret = hold(sink, 1, NULL, AV_NOPTS_VALUE, report);
    }
    for (int i = 0; ret == 0 && i < sink->muxer_count; i++) {
        int written = av_write_trailer(sink->muxers[i]);
        if (written < 0) ret = ml_fail(report, ML_MEDIA_ERR_OUTPUT, "cannot finish the output", written);
    }
    sink->headers_written = 0; // trailers done (or failed): nothing more to write
    return ret;
}

void ml_sink_free(ml_sink *sink) {
    for (int i = 0; i < sink->muxer_count; i++) {
        AVFormatContext *muxer = sink->muxers[i];
        if (muxer->pb != NULL && !(muxer->oformat->flags & AVFMT_NOFILE)) avio_closep(&muxer->pb);
        avformat_free_context(muxer);
        sink->muxers[i] = NULL;
    }
    sink->muxer_count = 0;
    avcodec_free_context(&sink->video_encoder);
    avcodec_free_context(&sink->audio_encoder);
    av_frame_free(&sink->audio_frame);
    av_packet_free(&sink->packet);
    av_packet_free(&sink->spare);
    av_packet_free(&sink->held[0]);
    av_packet_free(&sink->held[1]);
}

// ml_media_probe: every packet read, none decoded; durations and gaps from the packets' own timestamps, since a
// MediaRecorder file declares no duration and has no cues.

#include "cmedia_internal.h"

static int64_t span(const ml_timeline *line, int64_t origin_ms) {
    return line->packets > 0 ? FFMAX(line->end_ms - FFMIN(line->first_ms, origin_ms), 0) : 0;
}

int ml_media_probe(const char *path, ml_media_report *report) {
    if (report == NULL) return ML_MEDIA_ERR_ARGUMENT;
    ml_report_reset(report);
    ml_input input;
    int status = ml_input_open(&input, path, 0, report);
    while (status == ML_MEDIA_OK && ml_input_step(&input, NULL, NULL) > 0) {
    }
    if (status == ML_MEDIA_OK) {
        const ml_timeline *video = &input.video_line, *audio = &input.audio_line;
        report->has_video = video->packets > 0;
        report->has_audio = audio->packets > 0;
        if (report->has_video) {
            const AVCodecParameters *par = input.format->streams[input.video_index]->codecpar;
            report->width = par->width;
            report->height = par->height;
        }
        int64_t origin = input.origin_ms;
        report->video_duration_ms = span(video, origin);
        report->audio_duration_ms = span(audio, origin);
        int64_t end = FFMAX(video->packets ? video->end_ms : origin, audio->packets ? audio->end_ms : origin);
        report->duration_ms = origin == AV_NOPTS_VALUE ? 0 : FFMAX(end - origin, 0);
        report->video_frames = video->packets;
        report->decode_errors = input.decode_errors;
        ml_gaps_export(&input.gaps, origin, report);
        if (!report->has_video && !report->has_audio) status = ml_fail(report, ML_MEDIA_ERR_NO_STREAM, "no decodable stream: no packets", 0);
    }
    ml_input_close(&input);
    return status;
}

// A diagnostic for scripts/bench media, never shipped: LD_PRELOADed into `mentorlink media ...`, it opens every
// video decoder with frame (and slice) threads, thread count left to libavcodec (0: one per core and one), where
// the project's CMedia opens them with one thread (cmedia_input.c). The ffmpeg CLI decodes with threads by default;
// this row shows what that difference alone is worth on the same binary. Build:
//   gcc -O2 -shared -fPIC -o decoder_threads_shim.so decoder_threads_shim.c -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libavcodec/avcodec.h>

int avcodec_open2(AVCodecContext *context, const AVCodec *codec, AVDictionary **options) {
    static int (*real)(AVCodecContext *, const AVCodec *, AVDictionary **);
    if (real == NULL) real = (int (*)(AVCodecContext *, const AVCodec *, AVDictionary **))dlsym(RTLD_NEXT, "avcodec_open2");
    const AVCodec *used = codec != NULL ? codec : context->codec;
    if (used != NULL && av_codec_is_decoder(used) && used->type == AVMEDIA_TYPE_VIDEO) {
        context->thread_count = 0;
        context->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    }
    return real(context, codec, options);
}

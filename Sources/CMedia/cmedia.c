#include "cmedia.h"
#include <libavformat/avformat.h>
int ml_media_version(void) { return (int)avformat_version(); }

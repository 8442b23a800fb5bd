#ifndef CMEDIA_H
#define CMEDIA_H
/// The C layer over FFmpeg's libraries (being written).
int ml_media_version(void);
#endif

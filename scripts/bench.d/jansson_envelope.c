/* Parses a JSON-RPC envelope N times with jansson and checks its members, as the dispatcher would.
 * Built and run by `scripts/bench json` beside `mentorlink bench-json` on the same bytes. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s FILE ITERATIONS\n", argv[0]); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) return 2;
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    long iterations = atol(argv[2]);
    long ok = 0;
    double samples[15];
    for (int round = 0; round < 15; round++) {
        double start = now_ns();
        for (long i = 0; i < iterations; i++) {
            json_error_t error;
            json_t *root = json_loadb(buf, len, 0, &error);
            if (!root) continue;
            json_t *version = json_object_get(root, "jsonrpc");
            json_t *method = json_object_get(root, "method");
            json_t *id = json_object_get(root, "id");
            json_t *params = json_object_get(root, "params");
            if (version && json_is_string(version) && strcmp(json_string_value(version), "2.0") == 0 &&
                method && json_is_string(method) && id && (!params || json_is_object(params) || json_is_array(params)))
                ok++;
            json_decref(root);
        }
        samples[round] = (now_ns() - start) / iterations;
    }
    /* median of the rounds */
    for (int i = 0; i < 15; i++) for (int j = i + 1; j < 15; j++) if (samples[j] < samples[i]) { double t = samples[i]; samples[i] = samples[j]; samples[j] = t; }
    printf("{\"ns_per_parse\": %.0f, \"ok\": %ld}\n", samples[7], ok);
    return 0;
}

/* libFuzzer harness: guest-init's JSON reader and config loader (seccomp compiler included) on any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "../src/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct box_config cfg = {0};
    char err[600];
    config_parse((const char *)data, size, "fuzz.json", &cfg, err, sizeof err);
    config_free(&cfg);
    return 0;
}

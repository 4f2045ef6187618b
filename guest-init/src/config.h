/* The box's config.json, as guest-init needs it. */
#ifndef KRUNBOX_CONFIG_H
#define KRUNBOX_CONFIG_H

#include <stddef.h>

#define KRUNBOX_DIR "/.krunbox"
#define CONFIG_PATH KRUNBOX_DIR "/config.json"
#define EXIT_PATH KRUNBOX_DIR "/exit"
#define READY_PATH KRUNBOX_DIR "/ready"

struct box_config {
    char **argv;     /* NULL-terminated, at least one entry */
    char **env;      /* NULL-terminated */
    char *workdir;   /* absolute */
    char *user;      /* "", "uid", "uid:gid", "name", "name:group" */
    char *hostname;  /* may be empty */
};

/* Loads path into cfg; on failure returns -1 with a message naming the problem in err. */
int config_load(const char *path, struct box_config *cfg, char *err, size_t errlen);

#endif

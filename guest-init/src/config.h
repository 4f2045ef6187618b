/* The box's config.json, as guest-init needs it. */
#ifndef KRUNBOX_CONFIG_H
#define KRUNBOX_CONFIG_H

#include <stddef.h>

struct jval;

/* The control directory: host-owned, read-only to the box; run/ is the one part it writes. */
#define KRUNBOX_DIR "/.krunbox"
#define KRUNBOX_RUN_DIR KRUNBOX_DIR "/run"
#define CONFIG_PATH KRUNBOX_DIR "/config.json"
#define EXIT_PATH KRUNBOX_RUN_DIR "/exit"
#define READY_PATH KRUNBOX_RUN_DIR "/ready"
/* in a VM: the virtio-fs shares of the control directory and of its run/ */
#define CONTROL_TAG "kbctl"
#define RUN_TAG "kbrun"

struct box_iface {
    char *mac;       /* aa:bb:cc:dd:ee:ff: the interface is found by it */
    char *address;   /* dotted IPv4 */
    int prefix;      /* 1..30 */
    char *gateway;   /* "" when the route stays on the link */
    int default_route;
};

struct box_mount {
    char *type;      /* virtiofs, tmpfs, bind */
    char *source;    /* virtiofs tag; bind: done by the launcher */
    char *target;    /* absolute path in the box */
    char *options;   /* tmpfs: size=...,mode=... */
    char *subpath;   /* virtiofs: a single file inside the share, "" for the whole share */
    int readonly;
};

struct box_rlimit {
    int resource;    /* RLIMIT_* */
    char *name;      /* as in config.json: nofile, nproc, ... */
    long long soft;  /* -1: unlimited */
    long long hard;
};

struct box_config {
    char **argv;     /* NULL-terminated, at least one entry */
    char **env;      /* NULL-terminated */
    char *workdir;   /* absolute */
    char *user;      /* "", "uid", "uid:gid", "name", "name:group" */
    char *hostname;  /* may be empty */
    struct box_iface *ifaces;
    size_t n_ifaces;
    struct box_mount *mounts;
    size_t n_mounts;
    int readonly_root;
    int attach;      /* the workload is the first exec's command: run -it */
    struct box_rlimit *rlimits;
    size_t n_rlimits;
    struct jval *doc;    /* the parsed file: every string above points into it */
};

/* Frees what config_parse made (PID 1 keeps its config for life; the fuzzers free it). */
void config_free(struct box_config *cfg);

/* Loads path into cfg; on failure returns -1 with a message naming the problem in err. */
int config_load(const char *path, struct box_config *cfg, char *err, size_t errlen);

/* The same for text already read (path names it in messages); the fuzzers' entry. */
int config_parse(const char *text, size_t n, const char *path, struct box_config *cfg, char *err, size_t errlen);

#endif

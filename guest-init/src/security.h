/* What a box's processes may do: capabilities, a seccomp filter, no_new_privs, masked and
 * read-only /proc and /sys paths and namespaced sysctls, from config.json's "security". */
#ifndef KRUNBOX_SECURITY_H
#define KRUNBOX_SECURITY_H

#include <stddef.h>
#include <sys/types.h>

#include "json.h"

/* Reads "security" from the config's root object and compiles the seccomp filter. */
int security_load(const struct jval *root, char *err, size_t errlen);

/* --userns auto: the host id the box's 0 is (0 without a user namespace). */
unsigned long security_userns_base(void);

/* In PID 1, after its own mounts: writes the sysctls, masks and write-protects the paths, and
 * makes the box's user namespace (--userns auto) that the workload and every exec enter. */
int security_setup_fs(char *err, size_t errlen);

/* In PID 1 of a sandbox box, once its set-up is done: PID 1 keeps no more than the box's own
 * capabilities (and what it needs to start processes: SETUID, SETGID, SETPCAP, KILL), is not
 * dumpable, sets no_new_privs and runs under the box's own seccomp filter, so a workload that
 * could trace it (--cap-add SYS_PTRACE) would gain nothing the box does not have. */
int security_lock_init(char *err, size_t errlen);

/* In a child that is about to become uid:gid and exec: drops the bounding set and installs
 * the filter (still as root), then switches user and sets the final capability sets.
 * Returns 0, or -1 with errno and *stage (2 = user switch, 5 = privileges). */
int security_enter(uid_t uid, gid_t gid, const char *name, int *stage);

#endif

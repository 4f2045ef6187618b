/* Interfaces and mounts from config.json: what guest-init sets up before the workload. */
#ifndef KRUNBOX_NETCFG_H
#define KRUNBOX_NETCFG_H

#include "config.h"

/* Brings lo up and configures every interface of cfg (found by MAC); 0, or -1 with err filled. */
int net_configure(const struct box_config *cfg, char *err, size_t errlen);

/* Mounts cfg's virtiofs and tmpfs entries (binds are the launcher's), then a read-only root if asked. */
int mounts_apply(const struct box_config *cfg, int sandbox, char *err, size_t errlen);

#endif

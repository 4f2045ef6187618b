#define _GNU_SOURCE
#include "netcfg.h"
#include "security.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int parse_mac(const char *text, unsigned char mac[6]) {
    unsigned v[6];
    if (sscanf(text, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6) return -1;
    for (int i = 0; i < 6; i++) mac[i] = (unsigned char)v[i];
    return 0;
}

static void set_in(struct sockaddr *sa, in_addr_t addr) {
    struct sockaddr_in *in = (struct sockaddr_in *)sa;
    memset(in, 0, sizeof *in);
    in->sin_family = AF_INET;
    in->sin_addr.s_addr = addr;
}

static int link_up(int s, const char *name) {
    struct ifreq r;
    memset(&r, 0, sizeof r);
    snprintf(r.ifr_name, IFNAMSIZ, "%s", name);
    if (ioctl(s, SIOCGIFFLAGS, &r) < 0) return -1;
    r.ifr_flags |= IFF_UP | IFF_RUNNING;
    return ioctl(s, SIOCSIFFLAGS, &r);
}

/* The name of the interface whose hardware address is mac, or -1. */
static int find_by_mac(int s, const unsigned char mac[6], char name[IFNAMSIZ]) {
    struct if_nameindex *all = if_nameindex();
    int found = -1;
    for (struct if_nameindex *i = all; i && i->if_index; i++) {
        struct ifreq r;
        memset(&r, 0, sizeof r);
        snprintf(r.ifr_name, IFNAMSIZ, "%s", i->if_name);
        if (ioctl(s, SIOCGIFHWADDR, &r) == 0 && !memcmp(r.ifr_hwaddr.sa_data, mac, 6)) {
            snprintf(name, IFNAMSIZ, "%s", i->if_name);
            found = 0;
            break;
        }
    }
    if (all) if_freenameindex(all);
    return found;
}

int net_configure(const struct box_config *cfg, char *err, size_t errlen) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    link_up(s, "lo");
    for (size_t i = 0; i < cfg->n_ifaces; i++) {
        const struct box_iface *f = &cfg->ifaces[i];
        unsigned char mac[6];
        char name[IFNAMSIZ];
        struct in_addr addr, gw;
        if (parse_mac(f->mac, mac) < 0 || inet_pton(AF_INET, f->address, &addr) != 1
                || (f->gateway[0] && inet_pton(AF_INET, f->gateway, &gw) != 1)) {
            snprintf(err, errlen, "interface %s: bad mac, address or gateway", f->mac);
            close(s);
            return -1;
        }
        if (find_by_mac(s, mac, name) < 0) {
            snprintf(err, errlen, "no network interface has the MAC address %s", f->mac);
            close(s);
            return -1;
        }
        struct ifreq r;
        memset(&r, 0, sizeof r);
        snprintf(r.ifr_name, IFNAMSIZ, "%s", name);
        set_in(&r.ifr_addr, addr.s_addr);
        int rc = ioctl(s, SIOCSIFADDR, &r);
        if (rc == 0) {
            set_in(&r.ifr_netmask, htonl(f->prefix == 32 ? 0xffffffffu : ~(0xffffffffu >> f->prefix)));
            rc = ioctl(s, SIOCSIFNETMASK, &r);
        }
        if (rc == 0) rc = link_up(s, name);
        if (rc == 0 && f->default_route && f->gateway[0]) {
            struct rtentry rt;
            memset(&rt, 0, sizeof rt);
            set_in(&rt.rt_dst, INADDR_ANY);
            set_in(&rt.rt_genmask, INADDR_ANY);
            set_in(&rt.rt_gateway, gw.s_addr);
            rt.rt_flags = RTF_UP | RTF_GATEWAY;
            rt.rt_dev = name;
            if (ioctl(s, SIOCADDRT, &rt) < 0 && errno != EEXIST) rc = -1;
        }
        if (rc < 0) {
            snprintf(err, errlen, "cannot configure %s (%s) as %s/%d: %s", name, f->mac, f->address, f->prefix,
                     strerror(errno));
            close(s);
            return -1;
        }
    }
    close(s);
    return 0;
}

/* mkdir -p for a directory, or the parent + an empty file for a file mount point. */
static int make_target(const char *path, int file) {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0755) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (!file) return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
    int fd = open(buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EISDIR) return -1;
    if (fd >= 0) close(fd);
    return 0;
}

static int remount_ro(const char *target) {
    return mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
}

int mounts_apply(const struct box_config *cfg, int sandbox, char *err, size_t errlen) {
    for (size_t i = 0; i < cfg->n_mounts; i++) {
        const struct box_mount *m = &cfg->mounts[i];
        const char *what = m->type;
        int rc = 0;
        if (!strcmp(m->type, "bind")) {
            continue; /* the launcher made it */
        } else if (!strcmp(m->type, "tmpfs")) {
            rc = make_target(m->target, 0);
            if (rc == 0) rc = mount("tmpfs", m->target, "tmpfs", MS_NOSUID | MS_NODEV, m->options[0] ? m->options : NULL);
            /* --userns auto: the tmpfs belongs to the box's root, who is not the host's */
            if (rc == 0 && security_userns_base()) rc = chown(m->target, (uid_t)security_userns_base(), (gid_t)security_userns_base());
        } else if (sandbox) {
            continue; /* virtiofs volumes are bind mounts in the sandbox */
        } else if (!m->subpath[0]) {
            rc = make_target(m->target, 0);
            if (rc == 0) rc = mount(m->source, m->target, "virtiofs", m->readonly ? MS_RDONLY : 0, NULL);
        } else {
            /* a single file: the share holds its directory; bind the file out of it */
            char share[300], file[600];
            snprintf(share, sizeof share, KRUNBOX_DIR "/vol/%s", m->source);
            snprintf(file, sizeof file, "%s/%s", share, m->subpath);
            rc = make_target(share, 0);
            if (rc == 0) rc = mount(m->source, share, "virtiofs", m->readonly ? MS_RDONLY : 0, NULL);
            if (rc == 0) rc = make_target(m->target, 1);
            if (rc == 0) rc = mount(file, m->target, NULL, MS_BIND, NULL);
            if (rc == 0 && m->readonly) rc = remount_ro(m->target);
        }
        if (rc < 0) {
            snprintf(err, errlen, "cannot mount %s %s on %s: %s", what, m->source[0] ? m->source : "", m->target,
                     strerror(errno));
            return -1;
        }
    }
    if (cfg->readonly_root) {
        /* as Podman's --read-only-tmpfs: /tmp stays writable, unless the box mounts something there */
        int tmp_mounted = 0;
        for (size_t i = 0; i < cfg->n_mounts; i++)
            if (strcmp(cfg->mounts[i].target, "/tmp") == 0) tmp_mounted = 1;
        if (!tmp_mounted) {
            mkdir("/tmp", 01777);
            if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0) {
                snprintf(err, errlen, "cannot mount a tmpfs on /tmp: %s", strerror(errno));
                return -1;
            }
        }
        /* /.krunbox stays writable: the exit record and the exec socket live there */
        if (mount(KRUNBOX_DIR, KRUNBOX_DIR, NULL, MS_BIND | MS_REC, NULL) < 0 || remount_ro("/") < 0) {
            snprintf(err, errlen, "cannot make the root file system read-only: %s", strerror(errno));
            return -1;
        }
    }
    return 0;
}

package io.krunbox.runtime.guest;

/**
 * One mount as the launcher and guest-init make it. {@code hostPath} is what is shared
 * (a directory; for a single file its directory, with {@code subpath} the file's name),
 * {@code tag} the virtio-fs tag a VM sees it under.
 */
public record GuestMount(String type, String hostPath, String subpath, String target, boolean readOnly, String options,
                         String tag) {
    /** The host file or directory a sandbox binds. */
    public String bindSource() {
        return subpath.isEmpty() ? hostPath : hostPath + "/" + subpath;
    }
}

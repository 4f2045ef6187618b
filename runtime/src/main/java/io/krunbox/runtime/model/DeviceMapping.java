package io.krunbox.runtime.model;

/**
 * A host device given to a box ({@code --device /dev/fuse}, {@code --device /dev/sda:/dev/xvda:r}):
 * made at {@code boxPath} and allowed by the box's devices cgroup with {@code permissions}
 * (r, w and m for mknod).
 */
public record DeviceMapping(String hostPath, String boxPath, String permissions) {
    public DeviceMapping {
        if (hostPath == null || !hostPath.startsWith("/dev/")) {
            throw new IllegalArgumentException("--device \"" + hostPath + "\": give a device under /dev, e.g. /dev/fuse");
        }
        boxPath = boxPath == null || boxPath.isEmpty() ? hostPath : boxPath;
        if (!boxPath.startsWith("/dev/") || boxPath.contains("/../") || boxPath.endsWith("/..")) {
            throw new IllegalArgumentException("--device " + hostPath + ": the box's path \"" + boxPath
                    + "\" must lie under /dev");
        }
        permissions = permissions == null || permissions.isEmpty() ? "rwm" : permissions;
        if (!permissions.matches("[rwm]{1,3}") || permissions.chars().distinct().count() < permissions.length()) {
            throw new IllegalArgumentException("--device " + hostPath + ": permissions \"" + permissions
                    + "\" are not a combination of r, w and m");
        }
    }

    /** {@code HOST[:BOX][:PERMISSIONS]}, as Docker's {@code --device}. */
    public static DeviceMapping parse(String text) {
        String[] p = text.split(":", -1);
        if (p.length > 3 || text.isEmpty()) {
            throw new IllegalArgumentException("--device \"" + text + "\" is not HOST[:BOX][:rwm]");
        }
        if (p.length == 2 && p[1].matches("[rwm]{1,3}")) {
            return new DeviceMapping(p[0], null, p[1]);
        }
        return new DeviceMapping(p[0], p.length > 1 ? p[1] : null, p.length > 2 ? p[2] : null);
    }

    @Override
    public String toString() {
        return hostPath + ":" + boxPath + ":" + permissions;
    }
}

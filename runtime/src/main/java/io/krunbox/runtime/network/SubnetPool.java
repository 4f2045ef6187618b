package io.krunbox.runtime.network;

import io.krunbox.runtime.base.Invocation;
import java.util.List;

/**
 * Where automatic subnets come from: /24s carved out of {@code KRUNBOX_SUBNET_POOL}
 * (default {@code 10.88.0.0/16}), the first one no existing network overlaps.
 */
public record SubnetPool(Subnet range, int size) {
    public static final String DEFAULT = "10.88.0.0/16";

    public SubnetPool {
        if (size < range.prefix() || size > 30) {
            throw new IllegalArgumentException("subnet pool " + range + " cannot be split into /" + size + "s");
        }
    }

    public static SubnetPool fromEnvironment() {
        String pool = Invocation.current().env().getOrDefault("KRUNBOX_SUBNET_POOL", DEFAULT);
        try {
            Subnet s = Subnet.parse(pool);
            return new SubnetPool(s, Math.max(24, s.prefix()));
        } catch (IllegalArgumentException e) {
            throw new io.krunbox.runtime.base.BoxException("KRUNBOX_SUBNET_POOL: " + e.getMessage());
        }
    }

    /** The first subnet of the pool that overlaps none of {@code taken}. */
    public Subnet next(List<Subnet> taken) {
        long step = 1L << (32 - size);
        long end = Integer.toUnsignedLong(range.broadcast());
        for (long a = Integer.toUnsignedLong(range.base()); a <= end; a += step) {
            Subnet candidate = new Subnet((int) a, size);
            if (taken.stream().noneMatch(candidate::overlaps)) {
                return candidate;
            }
        }
        throw new io.krunbox.runtime.base.BoxException("the subnet pool " + range + " is used up: remove a network, give"
                + " --subnet, or set KRUNBOX_SUBNET_POOL to a wider range");
    }
}

package io.krunbox.runtime.network;

/** An IPv4 subnet, validated: {@code 10.88.0.0/24}. Addresses are unsigned ints in an {@code int}. */
public record Subnet(int base, int prefix) {
    public Subnet {
        if (prefix < 1 || prefix > 30) {
            throw new IllegalArgumentException("subnet prefix /" + prefix + " leaves no room for a gateway and a box"
                    + " (use /1 to /30, e.g. /24)");
        }
        if ((base & mask(prefix)) != base) {
            throw new IllegalArgumentException("subnet " + Ipv4.format(base) + "/" + prefix + " has host bits set: use "
                    + Ipv4.format(base & mask(prefix)) + "/" + prefix);
        }
    }

    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("subnet \"" + cidr + "\" is not in CIDR form (e.g. 10.89.0.0/24)");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("subnet \"" + cidr + "\": the prefix length is not a number");
        }
        if (prefix == 0) {
            throw new IllegalArgumentException("subnet \"" + cidr + "\": /0 is the whole address space, not a network");
        }
        if (prefix > 30) {
            throw new IllegalArgumentException("subnet \"" + cidr + "\": /" + prefix
                    + " has no room for a gateway and a box (use /30 or wider)");
        }
        try {
            return new Subnet(Ipv4.parse(cidr.substring(0, slash)), prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("subnet \"" + cidr + "\": " + e.getMessage());
        }
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public int broadcast() {
        return base | ~mask(prefix);
    }

    /** The first usable host address (the default gateway). */
    public int first() {
        return base + 1;
    }

    public int last() {
        return broadcast() - 1;
    }

    public boolean contains(int ip) {
        return (ip & mask(prefix)) == base;
    }

    public boolean overlaps(Subnet o) {
        int p = Math.min(prefix, o.prefix);
        return (base & mask(p)) == (o.base & mask(p));
    }

    @Override
    public String toString() {
        return Ipv4.format(base) + "/" + prefix;
    }
}

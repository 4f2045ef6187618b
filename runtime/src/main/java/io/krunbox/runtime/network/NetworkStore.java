package io.krunbox.runtime.network;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.NameInUseException;
import io.krunbox.runtime.base.NetworkFullException;
import io.krunbox.runtime.base.NoSuchNetworkException;
import io.krunbox.statedb.StateDb;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Networks and IPAM leases in state.db. A lease is taken in one transaction, so two
 * concurrent {@code create}s never get one address; it is released when its box is removed.
 */
public final class NetworkStore {
    private final StateDb db;

    public NetworkStore(StateDb db) {
        this.db = db;
        db.migrate("runtime/5-networks",
                "CREATE TABLE networks (name TEXT PRIMARY KEY, id TEXT NOT NULL, subnet TEXT NOT NULL, gateway TEXT NOT NULL,"
                        + " bridge TEXT NOT NULL UNIQUE, internal INTEGER NOT NULL, labels TEXT NOT NULL DEFAULT '',"
                        + " created_at TEXT NOT NULL)",
                "CREATE TABLE leases (network TEXT NOT NULL, box_id TEXT NOT NULL, ip TEXT NOT NULL, mac TEXT NOT NULL,"
                        + " hostname TEXT NOT NULL, aliases TEXT NOT NULL DEFAULT '', PRIMARY KEY (network, ip),"
                        + " UNIQUE (network, box_id))");
    }

    public StateDb db() {
        return db;
    }

    /** A network as recorded. */
    public record NetworkRecord(String name, String id, Subnet subnet, String gateway, String bridge, boolean internal,
                                List<String> labels, String createdAt) {}

    /** A box's address on a network. */
    public record Lease(String network, String boxId, String ip, String mac, String hostname, List<String> aliases) {}

    public List<NetworkRecord> all() {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM networks ORDER BY name")) {
                return networks(q.executeQuery());
            }
        });
    }

    public Optional<NetworkRecord> find(String nameOrId) {
        return all().stream().filter(n -> n.name().equals(nameOrId)
                || nameOrId.length() >= 6 && n.id().startsWith(nameOrId)).findFirst();
    }

    /** Records a network, checking in the same transaction that neither its name nor its subnet is taken. */
    public NetworkRecord create(String name, Subnet requested, SubnetPool pool, String gateway, boolean internal,
                                List<String> labels) {
        return create(name, requested, pool, gateway, internal, labels, List.of(), java.util.Set.of());
    }

    /**
     * As above; an automatic subnet also avoids {@code routedHere}, the subnets this host (or the
     * namespace krunbox works in) already routes: another home's bridges, podman's, docker's.
     */
    public NetworkRecord create(String name, Subnet requested, SubnetPool pool, String gateway, boolean internal,
                                List<String> labels, List<Subnet> routedHere, java.util.Set<String> linksHere) {
        return db.inTransaction(c -> {
            List<NetworkRecord> existing;
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM networks")) {
                existing = networks(q.executeQuery());
            }
            for (NetworkRecord n : existing) {
                if (n.name().equals(name)) {
                    throw new NameInUseException("network", name);
                }
            }
            List<Subnet> taken = new java.util.ArrayList<>(existing.stream().map(NetworkRecord::subnet).toList());
            taken.addAll(routedHere);
            Subnet subnet = requested != null ? requested : pool.next(taken);
            for (NetworkRecord n : existing) {
                if (n.subnet().overlaps(subnet)) {
                    throw new BoxException("subnet " + subnet + " overlaps network " + n.name() + " (" + n.subnet()
                            + "): choose another --subnet");
                }
            }
            String gw = gateway != null ? gateway : Ipv4.format(subnet.first());
            int g = Ipv4.parse(gw);
            if (!subnet.contains(g) || g == subnet.base() || g == subnet.broadcast()) {
                throw new BoxException("gateway " + gw + " is not a host address of subnet " + subnet);
            }
            Set<String> bridges = new HashSet<>();
            existing.forEach(n -> bridges.add(n.bridge()));
            bridges.addAll(linksHere); // another home's network of the same name has a bridge here already
            String bridge = bridgeName(name, bridges);
            String id = hex(sha256("network/" + name + "/" + System.nanoTime()), 32);
            try (PreparedStatement i = c.prepareStatement("INSERT INTO networks VALUES (?,?,?,?,?,?,?,"
                    + "strftime('%Y-%m-%dT%H:%M:%fZ','now'))")) {
                i.setString(1, name);
                i.setString(2, id);
                i.setString(3, subnet.toString());
                i.setString(4, gw);
                i.setString(5, bridge);
                i.setInt(6, internal ? 1 : 0);
                i.setString(7, String.join("\n", labels));
                i.executeUpdate();
            }
            return new NetworkRecord(name, id, subnet, gw, bridge, internal, List.copyOf(labels), null);
        });
    }

    /** {@code kb-<name>-<hash>}, at most 15 characters, different from every bridge in {@code taken}. */
    static String bridgeName(String network, Set<String> taken) {
        String stem = network.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        stem = stem.substring(0, Math.min(6, stem.length()));
        for (int salt = 0; ; salt++) {
            String name = "kb-" + stem + "-" + hex(sha256(network + "#" + salt), 4);
            if (!taken.contains(name)) {
                return name;
            }
        }
    }

    public void delete(String name) {
        db.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM leases WHERE network = ?")) {
                d.setString(1, name);
                d.executeUpdate();
            }
            try (PreparedStatement d = c.prepareStatement("DELETE FROM networks WHERE name = ?")) {
                d.setString(1, name);
                d.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Takes an address on {@code network} for a box: {@code staticIp} when given and free, else
     * the lowest free one. Fails with "network full" when none is left.
     */
    public Lease lease(String network, String boxId, String hostname, List<String> aliases, String staticIp) {
        return db.inTransaction(c -> {
            NetworkRecord n;
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM networks WHERE name = ?")) {
                q.setString(1, network);
                List<NetworkRecord> found = networks(q.executeQuery());
                if (found.isEmpty()) {
                    throw new NoSuchNetworkException(network);
                }
                n = found.get(0);
            }
            Set<Integer> used = new HashSet<>();
            try (PreparedStatement q = c.prepareStatement("SELECT ip, box_id FROM leases WHERE network = ?")) {
                q.setString(1, network);
                ResultSet rs = q.executeQuery();
                while (rs.next()) {
                    if (rs.getString(2).equals(boxId)) {
                        throw new BoxException("the box is already on network " + network);
                    }
                    used.add(Ipv4.parse(rs.getString(1)));
                }
            }
            used.add(Ipv4.parse(n.gateway()));
            int ip;
            if (staticIp != null) {
                int want;
                try {
                    want = Ipv4.parse(staticIp);
                } catch (IllegalArgumentException e) {
                    throw new BoxException("--ip " + e.getMessage());
                }
                if (!n.subnet().contains(want) || want == n.subnet().base() || want == n.subnet().broadcast()) {
                    throw new BoxException("--ip " + staticIp + " is not a host address of network " + network
                            + " (" + n.subnet() + ")");
                }
                if (used.contains(want)) {
                    throw new BoxException("--ip " + staticIp + " is taken on network " + network
                            + (want == Ipv4.parse(n.gateway()) ? " (it is the gateway)" : " by another box"));
                }
                ip = want;
            } else {
                ip = 0;
                for (long a = Integer.toUnsignedLong(n.subnet().first()); a <= Integer.toUnsignedLong(n.subnet().last()); a++) {
                    if (!used.contains((int) a)) {
                        ip = (int) a;
                        break;
                    }
                }
                if (ip == 0) {
                    throw new NetworkFullException(network, n.subnet().toString());
                }
            }
            Lease lease = new Lease(network, boxId, Ipv4.format(ip), mac(boxId, network), hostname, List.copyOf(aliases));
            try (PreparedStatement i = c.prepareStatement("INSERT INTO leases VALUES (?,?,?,?,?,?)")) {
                i.setString(1, network);
                i.setString(2, boxId);
                i.setString(3, lease.ip());
                i.setString(4, lease.mac());
                i.setString(5, hostname);
                i.setString(6, String.join(" ", aliases));
                i.executeUpdate();
            }
            return lease;
        });
    }

    /** Releases a box's lease on one network (null: on every network). */
    public void release(String boxId, String network) {
        db.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM leases WHERE box_id = ?"
                    + (network == null ? "" : " AND network = ?"))) {
                d.setString(1, boxId);
                if (network != null) {
                    d.setString(2, network);
                }
                d.executeUpdate();
            }
            return null;
        });
    }

    /** Renames a box in its leases (the name other boxes resolve). */
    public void rename(String boxId, String hostname) {
        db.inTransaction(c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE leases SET hostname = ? WHERE box_id = ?")) {
                u.setString(1, hostname);
                u.setString(2, boxId);
                u.executeUpdate();
            }
            return null;
        });
    }

    public List<Lease> leasesOn(String network) {
        return leases("network", network);
    }

    public List<Lease> leasesOf(String boxId) {
        return leases("box_id", boxId);
    }

    public List<Lease> allLeases() {
        return leases(null, null);
    }

    private List<Lease> leases(String column, String value) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT network, box_id, ip, mac, hostname, aliases FROM leases"
                    + (column == null ? "" : " WHERE " + column + " = ?") + " ORDER BY network, ip")) {
                if (column != null) {
                    q.setString(1, value);
                }
                ResultSet rs = q.executeQuery();
                List<Lease> out = new ArrayList<>();
                while (rs.next()) {
                    String aliases = rs.getString(6);
                    out.add(new Lease(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            aliases.isEmpty() ? List.of() : List.of(aliases.split(" "))));
                }
                return out;
            }
        });
    }

    private static List<NetworkRecord> networks(ResultSet rs) throws SQLException {
        List<NetworkRecord> out = new ArrayList<>();
        while (rs.next()) {
            String labels = rs.getString("labels");
            out.add(new NetworkRecord(rs.getString("name"), rs.getString("id"), Subnet.parse(rs.getString("subnet")),
                    rs.getString("gateway"), rs.getString("bridge"), rs.getInt("internal") != 0,
                    labels.isEmpty() ? List.of() : List.of(labels.split("\n")), rs.getString("created_at")));
        }
        return out;
    }

    /** A stable, locally administered unicast MAC for a box on a network. */
    public static String mac(String boxId, String network) {
        byte[] h = sha256(boxId + "/" + network);
        StringBuilder s = new StringBuilder("02");
        for (int i = 0; i < 5; i++) {
            s.append(String.format(":%02x", h[i] & 0xff));
        }
        return s.toString();
    }

    /** 10 hex digits naming a box's link on a network (veth or TAP names are built from it). */
    public static String linkHash(String boxId, String network) {
        return hash("link/" + boxId + "/" + network, 10);
    }

    /** The first {@code digits} hex digits of the SHA-256 of {@code text}: stable names derived from ids. */
    public static String hash(String text, int digits) {
        return hex(sha256(text), digits);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b, int digits) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.substring(0, digits);
    }

}

package io.krunbox.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.runtime.base.NameInUseException;
import io.krunbox.runtime.base.NetworkFullException;
import io.krunbox.runtime.base.NoSuchNetworkException;
import io.krunbox.runtime.network.NetworkStore.Lease;
import io.krunbox.runtime.network.NetworkStore.NetworkRecord;
import io.krunbox.statedb.StateDb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IPAM: networks and leases in state.db. */
class NetworkStoreTest {
    @TempDir Path dir;

    private NetworkStore store() {
        return new NetworkStore(StateDb.open(dir.resolve("state.db")));
    }

    private static final SubnetPool POOL = new SubnetPool(Subnet.parse("10.88.0.0/16"), 24);

    @Test
    void leasesGoLowestFreeFirstSkippingTheGatewayAndComeBackWhenReleased() {
        NetworkStore s = store();
        NetworkRecord n = s.create("back", Subnet.parse("10.90.0.0/29"), POOL, null, false, List.of());
        assertThat(n.gateway()).isEqualTo("10.90.0.1");
        assertThat(s.lease("back", "box-a", "a", List.of(), null).ip()).isEqualTo("10.90.0.2");
        assertThat(s.lease("back", "box-b", "b", List.of("bee"), null).ip()).isEqualTo("10.90.0.3");
        s.release("box-a", "back");
        assertThat(s.lease("back", "box-c", "c", List.of(), null).ip()).isEqualTo("10.90.0.2");
        assertThat(s.leasesOn("back")).extracting(Lease::boxId).containsExactly("box-c", "box-b");
        assertThat(s.leasesOf("box-b")).singleElement().satisfies(l -> assertThat(l.aliases()).containsExactly("bee"));
    }

    @Test
    void aFullNetworkSaysSoAndWhatToDo() {
        NetworkStore s = store();
        s.create("tiny", Subnet.parse("10.91.0.0/30"), POOL, null, false, List.of());
        assertThat(s.lease("tiny", "box-1", "one", List.of(), null).ip()).isEqualTo("10.91.0.2");
        assertThatThrownBy(() -> s.lease("tiny", "box-2", "two", List.of(), null)).isInstanceOf(NetworkFullException.class)
                .hasMessage("network tiny is full: all addresses of 10.91.0.0/30 are leased; remove a box or use a wider --subnet");
    }

    @Test
    void aStaticAddressIsCheckedAgainstTheSubnetTheGatewayAndOtherBoxes() {
        NetworkStore s = store();
        s.create("back", Subnet.parse("10.92.0.0/24"), POOL, null, false, List.of());
        assertThat(s.lease("back", "box-a", "a", List.of(), "10.92.0.50").ip()).isEqualTo("10.92.0.50");
        assertThatThrownBy(() -> s.lease("back", "box-b", "b", List.of(), "10.92.0.50"))
                .hasMessage("--ip 10.92.0.50 is taken on network back by another box");
        assertThatThrownBy(() -> s.lease("back", "box-b", "b", List.of(), "10.92.0.1"))
                .hasMessage("--ip 10.92.0.1 is taken on network back (it is the gateway)");
        assertThatThrownBy(() -> s.lease("back", "box-b", "b", List.of(), "10.93.0.5"))
                .hasMessage("--ip 10.93.0.5 is not a host address of network back (10.92.0.0/24)");
        assertThatThrownBy(() -> s.lease("back", "box-a", "a", List.of(), null))
                .hasMessage("the box is already on network back");
        assertThatThrownBy(() -> s.lease("nowhere", "box-a", "a", List.of(), null)).isInstanceOf(NoSuchNetworkException.class)
                .hasMessage("no such network: nowhere (`krunbox network ls` lists them; `krunbox network create nowhere` makes it)");
    }

    @Test
    void namesAndSubnetsAreNotTakenTwiceAndAutomaticSubnetsAvoidTakenOnes() {
        NetworkStore s = store();
        NetworkRecord a = s.create("a", null, POOL, null, false, List.of());
        NetworkRecord b = s.create("b", null, POOL, null, false, List.of());
        assertThat(a.subnet().overlaps(b.subnet())).isFalse();
        assertThatThrownBy(() -> s.create("a", null, POOL, null, false, List.of())).isInstanceOf(NameInUseException.class)
                .hasMessage("network a already exists: choose another name, or remove it first (`krunbox network rm a`)");
        assertThatThrownBy(() -> s.create("c", a.subnet(), POOL, null, false, List.of()))
                .hasMessage("subnet " + a.subnet() + " overlaps network a (" + a.subnet() + "): choose another --subnet");
        assertThatThrownBy(() -> s.create("d", Subnet.parse("10.94.0.0/24"), POOL, "10.95.0.1", false, List.of()))
                .hasMessage("gateway 10.95.0.1 is not a host address of subnet 10.94.0.0/24");
        assertThat(a.bridge()).matches("kb-a-[0-9a-f]{4}").isNotEqualTo(b.bridge());
    }

    @Test
    void removingANetworkDropsItsLeases() {
        NetworkStore s = store();
        s.create("gone", Subnet.parse("10.96.0.0/24"), POOL, null, false, List.of());
        s.lease("gone", "box-a", "a", List.of(), null);
        s.delete("gone");
        assertThat(s.find("gone")).isEmpty();
        assertThat(s.allLeases()).isEmpty();
    }

    /** Two processes leasing at once (two stores on one state.db, as two `run`s are) never share an address. */
    @Test
    void concurrentLeasesNeverShareAnAddress() throws Exception {
        store().create("busy", Subnet.parse("10.97.0.0/26"), POOL, null, false, List.of());
        List<NetworkStore> stores = List.of(store(), store());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> ips = new ArrayList<>();
            for (int i = 0; i < 61; i++) {
                NetworkStore s = stores.get(i % 2);
                String box = "box-" + i;
                ips.add(pool.submit((Callable<String>) () -> s.lease("busy", box, box, List.of(), null).ip()));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> f : ips) {
                distinct.add(f.get());
            }
            assertThat(distinct).hasSize(61);
            assertThatThrownBy(() -> store().lease("busy", "one-too-many", "x", List.of(), null))
                    .hasMessageContaining("network busy is full");
        } finally {
            pool.shutdownNow();
        }
    }
}

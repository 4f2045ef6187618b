package io.krunbox.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MountSpecTest {
    @Test
    void theVolumeFlagGivesBindsNamedAndAnonymousVolumes() {
        assertThat(MountSpec.parseVolume("/srv/www:/www:ro"))
                .isEqualTo(new MountSpec(MountSpec.Type.BIND, "/srv/www", "/www", true, ""));
        assertThat(MountSpec.parseVolume("data:/var/lib/db"))
                .isEqualTo(new MountSpec(MountSpec.Type.VOLUME, "data", "/var/lib/db", false, ""));
        assertThat(MountSpec.parseVolume("/cache")).isEqualTo(new MountSpec(MountSpec.Type.VOLUME, null, "/cache", false, ""));
        assertThat(MountSpec.parseVolume("./conf:/etc/app:rw,z").source())
                .isEqualTo(Path.of("conf").toAbsolutePath().normalize().toString());
    }

    @Test
    void theMountFlagTakesDockersKeys() {
        assertThat(MountSpec.parseMount("type=bind,src=/etc/hosts,dst=/etc/box-hosts,readonly"))
                .isEqualTo(new MountSpec(MountSpec.Type.BIND, "/etc/hosts", "/etc/box-hosts", true, ""));
        assertThat(MountSpec.parseMount("source=data,target=/data"))
                .isEqualTo(new MountSpec(MountSpec.Type.VOLUME, "data", "/data", false, ""));
        assertThat(MountSpec.parseMount("type=tmpfs,destination=/run/app,tmpfs-size=16m,tmpfs-mode=700").options())
                .isEqualTo("size=16m,mode=700");
        assertThat(MountSpec.parseMount("type=volume,target=/x,readonly=false").readOnly()).isFalse();
    }

    @Test
    void tmpfsOptionsDefaultToWorldWritableAndAreChecked() {
        assertThat(MountSpec.parseTmpfs("/scratch").options()).isEqualTo("mode=1777");
        assertThat(MountSpec.parseTmpfs("/scratch:size=64m,uid=1000").options()).isEqualTo("size=64m,uid=1000");
        assertThat(MountSpec.parseTmpfs("/scratch:size=64m")).hasToString("tmpfs:/scratch:size=64m");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a:b:c:d | invalid volume \"a:b:c:d\": use HOST_PATH:BOX_PATH[:ro] or NAME:BOX_PATH[:ro]",
            "/a:/b:rx | invalid volume \"/a:/b:rx\": unknown option \"rx\" (ro or rw)",
            "/a:b | invalid volume \"/a:b\": mount target \"b\" must be an absolute path in the box",
            "/a:/ | invalid volume \"/a:/\": cannot mount over /: choose another path in the box",
            "/a:/.krunbox/x | invalid volume \"/a:/.krunbox/x\": cannot mount over /.krunbox/x: choose another path in the box",
            "/a:/run/../.krunbox/config.json | invalid volume \"/a:/run/../.krunbox/config.json\": cannot mount over /.krunbox/config.json: choose another path in the box",
            "/a:/x/.. | invalid volume \"/a:/x/..\": cannot mount over /: choose another path in the box",
            "bad name!:/x | invalid volume \"bad name!:/x\": volume name \"bad name!\" may only hold letters, digits, '_', '.', '-' (a host path must start with /)"})
    void aBadVolumeIsRefusedNamingIt(String text, String message) {
        assertThatThrownBy(() -> MountSpec.parseVolume(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "type=bind,target=/x,color=red | invalid mount \"type=bind,target=/x,color=red\": unknown key \"color\"",
            "type=bind,source=/x | invalid mount \"type=bind,source=/x\": target= is missing",
            "type=npipe,target=/x | invalid mount \"type=npipe,target=/x\": type \"npipe\" is not bind, volume or tmpfs",
            "type=bind,source=rel,target=/x | bind source \"rel\" must be an absolute host path",
            "type=tmpfs,target=/t,tmpfs-size=lots | invalid tmpfs \"type=tmpfs,target=/t,tmpfs-size=lots\": option \"size=lots\" (use size=64m, mode=1777, uid=, gid=)"})
    void aBadMountIsRefusedNamingIt(String text, String message) {
        assertThatThrownBy(() -> MountSpec.parseMount(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}

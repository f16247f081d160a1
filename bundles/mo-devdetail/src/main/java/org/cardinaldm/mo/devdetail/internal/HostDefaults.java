package org.cardinaldm.mo.devdetail.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.api.spi.host.HostFacts;

/**
 * DevDetail values derived from the host when configuration leaves them empty.
 *
 * <ul>
 * <li><b>OEM</b>: DMI/SMBIOS {@code sys_vendor}, else {@code board_vendor}, else {@code os.name}.</li>
 * <li><b>FwV</b>: DMI {@code bios_version}, else the device-tree firmware revision, else
 * {@code Unknown}.</li>
 * <li><b>SwV</b>: the operating system, {@code os.name} and {@code os.version} (e.g.
 * {@code Linux 6.1.0-18-amd64}).</li>
 * <li><b>HwV</b>: DMI {@code product_version}, else {@code board_version}, else {@code Unknown}.</li>
 * <li><b>DevTyp</b>: {@code gateway}, Cardinal's usual host.</li>
 * </ul>
 * Firmware placeholders such as "To Be Filled By O.E.M." are ignored.
 */
final class HostDefaults {
    static final List<String> DT_FIRMWARE = List.of("/proc/device-tree/firmware/revision",
            "/sys/firmware/devicetree/base/firmware/revision");
    static final String UNKNOWN = "Unknown";

    /**
     * Firmware placeholders: the common ones and those of the version fields DevDetail reads as well
     * (compared case-insensitively).
     */
    private static final Set<String> PLACEHOLDERS = placeholders("system version", "type2 - board version",
            "type1productconfigid");

    private final HostFacts host;

    HostDefaults(HostFacts host) {
        this.host = host;
    }

    String oem() {
        return dmi("sys_vendor").or(() -> dmi("board_vendor")).or(() -> host.property("os.name")).orElse(UNKNOWN);
    }

    String fwV() {
        return dmi("bios_version").or(() -> host.firstReal(PLACEHOLDERS, DT_FIRMWARE)).orElse(UNKNOWN);
    }

    String swV() {
        Optional<String> name = host.property("os.name");
        Optional<String> version = host.property("os.version");
        if (name.isPresent() && version.isPresent()) {
            return name.get() + " " + version.get();
        }
        return name.or(() -> version).orElse(UNKNOWN);
    }

    String hwV() {
        return dmi("product_version").or(() -> dmi("board_version")).orElse(UNKNOWN);
    }

    String devTyp() {
        return "gateway";
    }

    /** @return a DMI field that is not a firmware placeholder */
    private Optional<String> dmi(String name) {
        return host.firstReal(PLACEHOLDERS, List.of(HostFacts.DMI + name));
    }

    private static Set<String> placeholders(String... more) {
        Set<String> all = new HashSet<>(HostFacts.FIRMWARE_PLACEHOLDERS);
        all.addAll(List.of(more));
        return Set.copyOf(all);
    }
}

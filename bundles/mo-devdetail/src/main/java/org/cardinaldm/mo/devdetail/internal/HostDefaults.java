package org.cardinaldm.mo.devdetail.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

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
    static final String DMI = "/sys/class/dmi/id/";
    static final List<String> DT_FIRMWARE = List.of("/proc/device-tree/firmware/revision",
            "/sys/firmware/devicetree/base/firmware/revision");
    static final String UNKNOWN = "Unknown";

    /** Values firmware writes when the OEM filled nothing in (compared case-insensitively). */
    private static final Set<String> PLACEHOLDERS = Set.of("to be filled by o.e.m.", "to be filled by oem",
            "default string", "system manufacturer", "system product name", "system version", "not specified",
            "not applicable", "none", "n/a", "na", "unknown", "oem", "o.e.m.", "123456789", "0123456789", "xxxxx",
            "type2 - board version", "type1productconfigid");

    private final HostFacts host;

    HostDefaults(HostFacts host) {
        this.host = host;
    }

    String oem() {
        return dmi("sys_vendor").or(() -> dmi("board_vendor")).or(() -> host.property("os.name")).orElse(UNKNOWN);
    }

    String fwV() {
        return dmi("bios_version").or(() -> firstOf(DT_FIRMWARE)).orElse(UNKNOWN);
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

    private Optional<String> dmi(String name) {
        return host.firstLine(DMI + name).filter(HostDefaults::isReal);
    }

    private Optional<String> firstOf(List<String> files) {
        for (String f : files) {
            Optional<String> v = host.firstLine(f).filter(HostDefaults::isReal);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    static boolean isReal(String value) {
        return !PLACEHOLDERS.contains(value.toLowerCase(Locale.ROOT));
    }
}

package org.cardinaldm.mo.devinfo.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;

import org.cardinaldm.api.spi.host.HostFacts;

/**
 * DevInfo values derived from the host when configuration leaves them empty.
 *
 * <ul>
 * <li><b>DevId</b>: {@code urn:uuid:<uuid>} (RFC 2141 URN, RFC 4122 namespace {@code uuid}) where the
 * UUID is name-based (version 5, SHA-1) in Cardinal's own namespace over the systemd/D-Bus machine
 * id, or over the host name when there is no machine id. It is stable across restarts and
 * reinstalls of Cardinal, and because it is a one-way hash in an application-specific namespace it
 * does not reveal the machine id itself (as machine-id(5) asks of applications).</li>
 * <li><b>Man</b>, <b>Mod</b>: the DMI/SMBIOS vendor and product name
 * ({@code /sys/class/dmi/id}), else the device-tree model (ARM boards), else {@code os.name} and
 * {@code os.arch}. Firmware placeholders such as "To Be Filled By O.E.M." are ignored.</li>
 * <li><b>DmV</b>: the Cardinal version.</li>
 * <li><b>Lang</b>: the JVM locale as an RFC 1766 tag ({@code en}, {@code de-CH}).</li>
 * </ul>
 */
final class HostDefaults {
    /** Cardinal's UUID namespace for name-based device ids (a constant random UUID). */
    static final UUID NAMESPACE = UUID.fromString("4c0d0c4e-6a37-4f3b-9d0e-6b1f2a9c7e51");

    static final List<String> MACHINE_ID_FILES = List.of("/etc/machine-id", "/var/lib/dbus/machine-id");
    static final List<String> HOSTNAME_FILES = List.of("/proc/sys/kernel/hostname", "/etc/hostname");
    static final List<String> DEVICE_TREE_MODEL = List.of("/proc/device-tree/model", "/sys/firmware/devicetree/base/model");

    private static final Pattern RFC1766 = Pattern.compile("[A-Za-z]{1,8}(-[A-Za-z]{1,8})*");
    private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-fA-F]{32}");

    private final HostFacts host;

    HostDefaults(HostFacts host) {
        this.host = host;
    }

    /** @return a stable {@code urn:uuid:} URN for this host */
    String devId() {
        for (String file : MACHINE_ID_FILES) {
            Optional<String> id = host.firstLine(file).filter(s -> MACHINE_ID.matcher(s).matches());
            if (id.isPresent()) {
                return "urn:uuid:" + nameUuid(NAMESPACE, "machine-id:" + id.get().toLowerCase(Locale.ROOT));
            }
        }
        String hostname = host.firstReal(HostFacts.FIRMWARE_PLACEHOLDERS, HOSTNAME_FILES).orElse("localhost");
        return "urn:uuid:" + nameUuid(NAMESPACE, "hostname:" + hostname.toLowerCase(Locale.ROOT));
    }

    /** @return the manufacturer */
    String man() {
        return dmi("sys_vendor").or(() -> dmi("board_vendor"))
                .or(() -> host.property("os.name")).orElse("Unknown");
    }

    /** @return the model */
    String mod() {
        return dmi("product_name").or(() -> dmi("board_name"))
                .or(() -> host.firstReal(HostFacts.FIRMWARE_PLACEHOLDERS, DEVICE_TREE_MODEL))
                .or(() -> host.property("os.arch")).orElse("Unknown");
    }

    /** @return the Cardinal version, from the build */
    static String cardinalVersion() {
        try (InputStream in = HostDefaults.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("cardinal.version", "").strip();
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through to the placeholder
        }
        return "0.0.0";
    }

    /** @return the JVM locale as an RFC 1766 tag; {@code en} when it has no usable language */
    String lang() {
        return toRfc1766(host.locale());
    }

    /**
     * RFC 1766 allows only ALPHA subtags of 1–8 letters, so BCP 47 parts such as numeric regions
     * ({@code 419}) or scripts are dropped rather than sent in a form the spec does not know.
     *
     * @param locale a locale
     * @return {@code language[-COUNTRY]}, or {@code en} for the root locale
     */
    static String toRfc1766(Locale locale) {
        String language = locale.getLanguage();
        if (language.isEmpty() || language.equals("und") || !RFC1766.matcher(language).matches()) {
            return "en";
        }
        String country = locale.getCountry();
        return country.length() == 2 && RFC1766.matcher(country).matches() ? language + "-" + country : language;
    }

    /**
     * @param tag a candidate language tag
     * @return true when it matches the RFC 1766 syntax
     */
    static boolean isRfc1766(String tag) {
        return RFC1766.matcher(tag).matches();
    }

    /** @return a DMI field that is not a firmware placeholder */
    private Optional<String> dmi(String name) {
        return host.firstReal(HostFacts.FIRMWARE_PLACEHOLDERS, List.of(HostFacts.DMI + name));
    }

    /**
     * @param namespace the namespace UUID
     * @param name a name in that namespace
     * @return the RFC 4122 version-5 (SHA-1) UUID of that name
     */
    static UUID nameUuid(UUID namespace, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            ByteBuffer ns = ByteBuffer.allocate(16);
            ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
            sha1.update(ns.array());
            byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5
            h[8] = (byte) ((h[8] & 0x3f) | 0x80); // IETF variant
            ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
            return new UUID(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}

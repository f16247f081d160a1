package org.cardinaldm.fumo.agent.karaf.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the Karaf update agent (PID {@value KarafUpdateAgent#PID}). */
@ObjectClassDefinition(name = "Cardinal FUMO Karaf agent",
        description = "Which Karaf feature is the gateway's firmware, and where its KARs are kept")
public @interface KarafAgentConfig {
    /** @return the FUMO instance served, also the service property fumo.component */
    @AttributeDefinition(name = "FUMO component", description = "The FUMO instance this agent updates, e.g. Gateway")
    String fumo_component() default "Gateway";

    /** @return the Karaf feature that is the firmware */
    @AttributeDefinition(name = "Feature", description = "The Karaf feature whose versions are the gateway's firmware")
    String feature_name();

    /** @return the signed package name accepted; empty = the feature name */
    @AttributeDefinition(name = "Package name", required = false,
            description = "The name a firmware manifest must carry; empty: the feature name")
    String package_name() default "";

    /** @return where KARs are unpacked; empty = ${karaf.data}/kar */
    @AttributeDefinition(name = "KAR storage", required = false,
            description = "Folder the KARs are unpacked into; it must be a pax-url default repository folder read "
                    + "with @multi. Empty: ${karaf.data}/kar")
    String kar_storage() default "";

    /** @return whether the version is firmware (DevDetail/FwV) or software (SwV) */
    @AttributeDefinition(name = "Is firmware", description = "true: DevDetail/FwV shows the version; false: SwV")
    boolean is_firmware() default true;

    /** @return how long the health check waits for the new bundles and components */
    @AttributeDefinition(name = "Health time-out (seconds)", min = "0", max = "3600")
    int health_timeout_seconds() default 60;

    /** @return the largest KAR accepted */
    @AttributeDefinition(name = "Largest KAR (bytes)", min = "1")
    long max_payload_bytes() default 256L * 1024 * 1024;

    /** @return most entries in a KAR */
    @AttributeDefinition(name = "Most KAR entries", min = "1")
    int max_entries() default 4096;

    /** @return the largest unpacked entry */
    @AttributeDefinition(name = "Largest KAR entry (bytes)", min = "1")
    long max_entry_bytes() default 128L * 1024 * 1024;

    /** @return the largest unpacked total */
    @AttributeDefinition(name = "Largest unpacked KAR (bytes)", min = "1")
    long max_extracted_bytes() default 512L * 1024 * 1024;

    /** @return symbolic names a firmware KAR may not carry (this agent's own is always added) */
    @AttributeDefinition(name = "Protected bundles",
            description = "Bundle symbolic names a firmware KAR may not replace: what performs the update")
    String[] protected_bundles() default {"org.cardinaldm.fumo.core", "org.cardinaldm.fumo.api",
        "org.cardinaldm.pkg.trust", "org.apache.karaf.features.core", "org.apache.felix.scr"};

    /**
     * The checked configuration.
     *
     * @param component the FUMO component
     * @param feature the firmware feature
     * @param packageName the signed name accepted
     * @param storage where KARs are unpacked, absolute
     * @param firmware FwV rather than SwV
     * @param healthTimeout the health check's bound
     * @param maxPayloadBytes the largest KAR
     * @param limits the unpacking bounds
     * @param protectedNames symbolic names a KAR may not carry
     */
    record Settings(String component, String feature, String packageName, Path storage, boolean firmware,
            Duration healthTimeout, long maxPayloadBytes, KarArchive.Limits limits, Set<String> protectedNames) {

        /**
         * @param c the configuration
         * @param ownName this bundle's symbolic name (always protected)
         * @param karafData the {@code karaf.data} folder, for the default storage
         * @return the settings
         * @throws IllegalArgumentException when a value is unusable; the message names its key
         */
        static Settings of(KarafAgentConfig c, String ownName, String karafData) {
            String component = text(c.fumo_component(), "fumo.component");
            String feature = text(c.feature_name(), "feature.name");
            String pkg = c.package_name() == null || c.package_name().isBlank() ? feature : c.package_name().strip();
            Path storage;
            if (c.kar_storage() != null && !c.kar_storage().isBlank()) {
                storage = Path.of(c.kar_storage().strip());
            } else if (karafData != null && !karafData.isBlank()) {
                storage = Path.of(karafData, "kar");
            } else {
                throw new IllegalArgumentException("kar.storage must be set outside Karaf (no karaf.data)");
            }
            if (c.max_payload_bytes() < 1 || c.max_entries() < 1 || c.max_entry_bytes() < 1
                    || c.max_extracted_bytes() < 1) {
                throw new IllegalArgumentException("max.payload.bytes, max.entries, max.entry.bytes and "
                        + "max.extracted.bytes must be positive");
            }
            Set<String> prot = new LinkedHashSet<>();
            if (c.protected_bundles() != null) {
                // a Karaf .cfg file has no lists: one comma-separated line is accepted as well
                Arrays.stream(c.protected_bundles()).filter(s -> s != null).flatMap(s -> Arrays.stream(s.split(",")))
                        .map(String::strip).filter(s -> !s.isEmpty()).forEach(prot::add);
            }
            if (ownName != null) {
                prot.add(ownName);
            }
            return new Settings(component, feature, pkg, storage.toAbsolutePath().normalize(), c.is_firmware(),
                    Duration.ofSeconds(Math.max(0, Math.min(3600, c.health_timeout_seconds()))),
                    c.max_payload_bytes(),
                    new KarArchive.Limits(c.max_entries(), c.max_entry_bytes(), c.max_extracted_bytes()),
                    Set.copyOf(prot));
        }

        private static String text(String s, String key) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(key + " must be set");
            }
            return s.strip();
        }
    }
}

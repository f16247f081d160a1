package org.cardinaldm.server.internal.osgi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.spi.ProvisioningPolicy;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's provisioning profile for one device class, from a factory configuration
 * ({@code etc/org.cardinaldm.server.provisioning-<name>.cfg}): devices whose reported
 * {@code ./DevInfo/Man} and {@code ./DevInfo/Mod} match get a TNDS document (Replace or Add at a target,
 * {@code ./SmartCard/MO} by default) and optional operations, when they present a new card.
 */
@Component(service = ProvisioningPolicy.class, configurationPid = "org.cardinaldm.server.provisioning",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ProfileProvisioningPolicy.Config.class, factory = true)
public final class ProfileProvisioningPolicy implements ProvisioningPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileProvisioningPolicy.class);
    /** The TNDS media type of the document's Meta Type. */
    static final String TNDS_XML = "application/vnd.syncml.dmtnds+xml";

    /** A provisioning profile. */
    @ObjectClassDefinition(name = "Cardinal first-contact provisioning profile")
    public @interface Config {
        /** @return the name */
        @AttributeDefinition(description = "Name shown in the jobs this profile creates")
        String dm_provisioning_name() default "profile";

        /** @return the manufacturer pattern */
        @AttributeDefinition(description = "Regular expression the device's ./DevInfo/Man must match")
        String match_manufacturer() default ".*";

        /** @return the model pattern */
        @AttributeDefinition(description = "Regular expression the device's ./DevInfo/Mod must match")
        String match_model() default ".*";

        /** @return the TNDS file */
        @AttributeDefinition(description = "TNDS XML document to apply (path); empty for none")
        String tnds_file() default "";

        /** @return the TNDS target */
        @AttributeDefinition(description = "Node the TNDS document is applied at")
        String tnds_target() default "./SmartCard/MO";

        /** @return replace or add */
        @AttributeDefinition(description = "replace (default: the subtree becomes the document) or add")
        String tnds_mode() default "replace";

        /** @return further operations */
        @AttributeDefinition(description = "Further operations, one per value: get|add|replace|delete|exec <uri> [value]")
        String[] operations() default {};
    }

    private final Pattern manufacturer;
    private final Pattern model;
    private final List<Operation> operations;

    /**
     * @param config the profile
     * @throws IOException when the TNDS file cannot be read
     */
    @Activate
    public ProfileProvisioningPolicy(Config config) throws IOException {
        try {
            this.manufacturer = Pattern.compile(config.match_manufacturer());
            this.model = Pattern.compile(config.match_model());
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("provisioning profile " + config.dm_provisioning_name()
                    + ": bad pattern " + e.getPattern(), e);
        }
        List<Operation> ops = new ArrayList<>();
        if (!config.tnds_file().isBlank()) {
            String tnds = Files.readString(Path.of(config.tnds_file()), StandardCharsets.UTF_8);
            boolean add = "add".equalsIgnoreCase(config.tnds_mode().trim());
            Operation op = add ? Operation.add(config.tnds_target(), tnds, "xml")
                    : Operation.replace(config.tnds_target(), tnds, "xml");
            ops.add(op.withType(TNDS_XML));
        }
        for (String line : lines(config.operations())) {
            if (!line.isBlank()) {
                ops.add(parse(line));
            }
        }
        this.operations = List.copyOf(ops);
        LOG.info("Provisioning profile {} ready ({} operations)", config.dm_provisioning_name(), operations.size());
    }

    /**
     * The operations as lines. A typed {@code .config} file or the Configuration Admin API gives a
     * String array; a Karaf {@code .cfg} file gives the list as it was written, one String such as
     * {@code ["replace ./A 1", "exec ./B"]}: that form is split into its quoted items ({@code \"} and
     * {@code \\} escape inside an item).
     *
     * @param values the configured values
     * @return one operation line per element
     * @throws IllegalArgumentException when a bracketed list is not closed or an item is not quoted
     */
    static List<String> lines(String[] values) {
        if (values.length != 1 || !values[0].strip().startsWith("[")) {
            return List.of(values);
        }
        String text = values[0].strip();
        if (!text.endsWith("]")) {
            throw new IllegalArgumentException("provisioning operations: a list that starts with [ must end with ]");
        }
        List<String> items = new ArrayList<>();
        int i = 1;
        int end = text.length() - 1;
        while (true) {
            while (i < end && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == ',')) {
                i++;
            }
            if (i >= end) {
                return items;
            }
            if (text.charAt(i) != '"') {
                throw new IllegalArgumentException("provisioning operations: each item of the list must be in double quotes");
            }
            StringBuilder item = new StringBuilder();
            i++;
            while (i < end && text.charAt(i) != '"') {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < end) {
                    c = text.charAt(++i);
                }
                item.append(c);
                i++;
            }
            if (i >= end) {
                throw new IllegalArgumentException("provisioning operations: an item's closing quote is missing");
            }
            items.add(item.toString());
            i++;
        }
    }

    /**
     * @param line {@code get|add|replace|delete|exec <uri> [value]}
     * @return the operation
     * @throws IllegalArgumentException when the line is not one
     */
    static Operation parse(String line) {
        String[] parts = line.trim().split("\\s+", 3);
        if (parts.length < 2) {
            throw new IllegalArgumentException("provisioning operation without URI: " + line);
        }
        String value = parts.length > 2 ? parts[2] : null;
        switch (parts[0].toLowerCase(Locale.ROOT)) {
            case "get":
                return Operation.get(parts[1]);
            case "delete":
                return Operation.delete(parts[1]);
            case "add":
                return value == null ? Operation.addInterior(parts[1]) : Operation.add(parts[1], value, "chr");
            case "replace":
                if (value == null) {
                    throw new IllegalArgumentException("provisioning replace without value: " + line);
                }
                return Operation.replace(parts[1], value, "chr");
            case "exec":
                return Operation.exec(parts[1], value, null);
            default:
                throw new IllegalArgumentException("unknown provisioning operation: " + line);
        }
    }

    @Override
    public List<Operation> firstContact(Device device, String cardId, String previousCardId) {
        String man = device.devInfo().getOrDefault("./DevInfo/Man", "");
        String mod = device.devInfo().getOrDefault("./DevInfo/Mod", "");
        if (!manufacturer.matcher(man).matches() || !model.matcher(mod).matches()) {
            return List.of();
        }
        return operations;
    }
}

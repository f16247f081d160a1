package org.cardinaldm.mo.devinfo.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.host.HostFacts;
import org.cardinaldm.api.spi.mo.ManagementObject;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.mo.MoContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DevInfo management object (OMA-TS-DM_StdObj-V1_2 §7.1.3.2; digest §5.4) at {@code ./DevInfo}:
 * the read-only leaves DevId, Man, Mod, DmV and Lang, each {@code chr} / {@code text/plain}, all
 * permanent. The root carries the ACL {@code Get=*} and the MO identifier as its Type; the leaves
 * inherit the ACL.
 *
 * <p>Values come from configuration PID {@code org.cardinaldm.mo.devinfo} (keys {@code devid},
 * {@code man}, {@code mod}, {@code dmv}, {@code lang}); an absent or blank key takes the host
 * default described in {@link HostDefaults}. A configuration change is applied in place, without
 * unregistering the service, so the subtree never disappears.
 */
@Component(service = ManagementObjectPlugin.class, configurationPid = DevInfoPlugin.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@ManagementObject(root = DevInfoPlugin.ROOT, id = DevInfoPlugin.MO_ID)
@Designate(ocd = DevInfoPlugin.Config.class)
public final class DevInfoPlugin implements ManagementObjectPlugin {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.mo.devinfo";
    /** The subtree root. */
    public static final String ROOT = "./DevInfo";
    /** The MO identifier (OMNA registry). */
    public static final String MO_ID = "urn:oma:mo:oma-dm-devinfo:1.0";

    /** DevInfo configuration; every empty value means "derive it from the host". */
    @ObjectClassDefinition(name = "Cardinal DevInfo MO",
            description = "Values of ./DevInfo. Leave a value empty to derive it from the host.")
    public @interface Config {
        /** @return DevId */
        @AttributeDefinition(name = "DevId", required = false,
                description = "Globally unique device id, a URN (RFC 2141) such as IMEI:493005100592800 or "
                        + "urn:uuid:...; empty: a name-based urn:uuid: derived from the host's machine id")
        String devid() default "";

        /** @return Man */
        @AttributeDefinition(name = "Man", required = false,
                description = "Manufacturer; empty: DMI sys_vendor, else os.name")
        String man() default "";

        /** @return Mod */
        @AttributeDefinition(name = "Mod", required = false,
                description = "Model; empty: DMI product_name, else the device-tree model, else os.arch")
        String mod() default "";

        /** @return DmV */
        @AttributeDefinition(name = "DmV", required = false,
                description = "DM client version; empty: the Cardinal version")
        String dmv() default "";

        /** @return Lang */
        @AttributeDefinition(name = "Lang", required = false,
                description = "Current language as an RFC 1766 tag (en, de-CH); empty: the JVM locale")
        String lang() default "";
    }

    /** The leaves, in the order Get on ./DevInfo lists them. */
    static final List<String> LEAVES = List.of("DevId", "Man", "Mod", "DmV", "Lang");

    private static final Logger LOG = LoggerFactory.getLogger(DevInfoPlugin.class);
    private static final NodeUri ROOT_URI = NodeUri.of(ROOT);
    /** Loose RFC 2141-style check: {@code <namespace>:<specific part>} with no white space. */
    private static final Pattern URN_LIKE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,31}:\\S+");

    private final HostDefaults defaults;
    private volatile Map<String, String> values;

    /**
     * @param config the configuration (defaults when there is none)
     */
    @Activate
    public DevInfoPlugin(Config config) {
        this(config, HostFacts.system());
    }

    DevInfoPlugin(Config config, HostFacts host) {
        this.defaults = new HostDefaults(host);
        this.values = resolve(config);
        LOG.info("DevInfo MO ready: DevId={} Man={} Mod={} DmV={} Lang={}", values.get("DevId"),
                values.get("Man"), values.get("Mod"), values.get("DmV"), values.get("Lang"));
    }

    /** @param config the changed configuration, applied without re-registering the service */
    @Modified
    void modified(Config config) {
        values = resolve(config);
        LOG.info("DevInfo MO reconfigured: DevId={} Man={} Mod={} DmV={} Lang={}", values.get("DevId"),
                values.get("Man"), values.get("Mod"), values.get("DmV"), values.get("Lang"));
    }

    private Map<String, String> resolve(Config config) {
        Map<String, String> map = new LinkedHashMap<>();
        String devId = configured(config.devid());
        if (devId != null && !URN_LIKE.matcher(devId).matches()) {
            LOG.warn("Configured DevId '{}' is not a URN ('<namespace>:<id>', RFC 2141); using it anyway", devId);
        }
        map.put("DevId", devId != null ? devId : defaults.devId());
        String man = configured(config.man());
        map.put("Man", man != null ? man : defaults.man());
        String mod = configured(config.mod());
        map.put("Mod", mod != null ? mod : defaults.mod());
        String dmv = configured(config.dmv());
        map.put("DmV", dmv != null ? dmv : HostDefaults.cardinalVersion());
        String lang = configured(config.lang());
        if (lang != null && !HostDefaults.isRfc1766(lang)) {
            LOG.warn("Configured Lang '{}' is not an RFC 1766 tag such as 'en' or 'de-CH'; using the JVM locale", lang);
            lang = null;
        }
        map.put("Lang", lang != null ? lang : defaults.lang());
        return Map.copyOf(map);
    }

    private static String configured(String value) {
        if (value == null) {
            return null;
        }
        String s = value.strip();
        return s.isEmpty() ? null : s;
    }

    @Override
    public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
        if (uri.equals(ROOT_URI)) {
            return Optional.of(NodeInfo.interior(ROOT_URI).type(MO_ID).acl(Acl.of("Get=*")).permanent(true).build());
        }
        String value = leafValue(uri);
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(NodeInfo.leaf(uri, Format.CHR).type(NodeValue.TEXT_PLAIN).permanent(true)
                .size(value.getBytes(StandardCharsets.UTF_8).length).build());
    }

    @Override
    public List<String> children(NodeUri uri, MoContext context) throws DmException {
        if (uri.equals(ROOT_URI)) {
            return LEAVES;
        }
        if (leafValue(uri) != null) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is a leaf and has no children");
        }
        throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
    }

    @Override
    public NodeValue get(NodeUri uri, MoContext context) throws DmException {
        if (uri.equals(ROOT_URI)) {
            return NodeValue.ofChildren(LEAVES);
        }
        String value = leafValue(uri);
        if (value == null) {
            throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
        }
        return NodeValue.ofString(value);
    }

    /** @return the leaf's value, or null when {@code uri} is not one of the five leaves */
    private String leafValue(NodeUri uri) {
        if (uri.depth() != ROOT_URI.depth() + 1 || !uri.startsWith(ROOT_URI)) {
            return null;
        }
        return values.get(uri.name());
    }

    @Override
    public String toString() {
        return "DevInfoPlugin[" + ROOT + "]";
    }
}

package org.cardinaldm.mo.devdetail.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

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
import org.cardinaldm.fumo.api.spi.UpdateAgent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DevDetail management object (OMA-TS-DM_StdObj-V1_2 §7.1.3.3; digest §5.5) at
 * {@code ./DevDetail}, read-only and permanent throughout:
 * <pre>
 * ./DevDetail            node  Type urn:oma:mo:oma-dm-devdetail:1.0, ACL Get=*
 *   URI                  node
 *     MaxDepth           chr   decimal 0..65535, "0" = unlimited
 *     MaxTotLen          chr   decimal 0..65535, "0" = unlimited
 *     MaxSegLen          chr   decimal 0..65535, "0" = unlimited
 *   DevTyp OEM FwV SwV HwV  chr
 *   LrgObj               bool  "true" / "false"
 * </pre>
 * Every leaf has Type {@code text/plain}. The tree engine reads the URI limits from here.
 *
 * <p>Values come from configuration PID {@code org.cardinaldm.mo.devdetail}; empty strings take
 * the host defaults described in {@link HostDefaults}. A limit outside 0..65535 is refused with a
 * warning and its default used. A configuration change is applied in place.
 *
 * <p>{@code FwV} and {@code SwV} follow the FUMO update agents ({@link UpdateAgent}, tracked dynamically, none
 * required): when agents report a version for that leaf ({@link UpdateAgent#isFirmware()} chooses the leaf),
 * the leaf shows it, read at each Get, so it shows the new version as soon as an update runs; several agents show
 * {@code <component>=<version>} pairs sorted by component, separated by {@code ", "}. Without an agent (or with
 * only blank versions) the configured or host value stays.
 */
@Component(service = ManagementObjectPlugin.class, configurationPid = DevDetailPlugin.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@ManagementObject(root = DevDetailPlugin.ROOT, id = DevDetailPlugin.MO_ID)
@Designate(ocd = DevDetailPlugin.Config.class)
public final class DevDetailPlugin implements ManagementObjectPlugin {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.mo.devdetail";
    /** The subtree root. */
    public static final String ROOT = "./DevDetail";
    /** The MO identifier (OMNA registry). */
    public static final String MO_ID = "urn:oma:mo:oma-dm-devdetail:1.0";

    /** Default URI limits: generous for every standard MO, bounded so no peer can grow the tree without limit. */
    static final int DEFAULT_MAX_DEPTH = 16;
    static final int DEFAULT_MAX_TOT_LEN = 1024;
    static final int DEFAULT_MAX_SEG_LEN = 128;

    /** DevDetail configuration; empty strings mean "derive it from the host". */
    @ObjectClassDefinition(name = "Cardinal DevDetail MO",
            description = "Values of ./DevDetail. Leave a text value empty to derive it from the host.")
    public @interface Config {
        /** @return URI/MaxDepth */
        @AttributeDefinition(name = "URI/MaxDepth", min = "0", max = "65535",
                description = "Deepest node URI the tree accepts, in segments; 0 = unlimited")
        int uri_maxdepth() default DEFAULT_MAX_DEPTH;

        /** @return URI/MaxTotLen */
        @AttributeDefinition(name = "URI/MaxTotLen", min = "0", max = "65535",
                description = "Longest node URI in characters; 0 = unlimited")
        int uri_maxtotlen() default DEFAULT_MAX_TOT_LEN;

        /** @return URI/MaxSegLen */
        @AttributeDefinition(name = "URI/MaxSegLen", min = "0", max = "65535",
                description = "Longest URI segment in characters; 0 = unlimited")
        int uri_maxseglen() default DEFAULT_MAX_SEG_LEN;

        /** @return DevTyp */
        @AttributeDefinition(name = "DevTyp", required = false, description = "Device type; empty: gateway")
        String devtyp() default "";

        /** @return OEM */
        @AttributeDefinition(name = "OEM", required = false,
                description = "Original equipment manufacturer; empty: DMI sys_vendor, else os.name")
        String oem() default "";

        /** @return FwV */
        @AttributeDefinition(name = "FwV", required = false,
                description = "Firmware version; empty: DMI bios_version, else the device-tree firmware revision")
        String fwv() default "";

        /** @return SwV */
        @AttributeDefinition(name = "SwV", required = false,
                description = "Software version; empty: the operating system name and version")
        String swv() default "";

        /** @return HwV */
        @AttributeDefinition(name = "HwV", required = false,
                description = "Hardware version; empty: DMI product_version")
        String hwv() default "";

        /** @return LrgObj */
        @AttributeDefinition(name = "LrgObj",
                description = "Whether the DM client supports large objects (OMA DM 1.2 large object delivery); "
                        + "Cardinal's device agent receives and sends them, so true unless another client uses this tree")
        boolean lrgobj() default true;
    }

    private static final Logger LOG = LoggerFactory.getLogger(DevDetailPlugin.class);
    private static final NodeUri ROOT_URI = NodeUri.of(ROOT);
    private static final NodeUri URI_URI = ROOT_URI.child("URI");
    private static final List<String> ROOT_CHILDREN = List.of("URI", "DevTyp", "OEM", "FwV", "SwV", "HwV", "LrgObj");
    private static final List<String> URI_CHILDREN = List.of("MaxDepth", "MaxTotLen", "MaxSegLen");

    private static final NodeUri FWV_URI = ROOT_URI.child("FwV");
    private static final NodeUri SWV_URI = ROOT_URI.child("SwV");
    /** Longest FwV/SwV text taken from the agents (a leaf is short; DevDetail is read in every session). */
    static final int MAX_AGENT_TEXT = 256;

    private final HostDefaults defaults;
    private volatile Map<NodeUri, NodeValue> leaves;
    private final Map<UpdateAgent, String> agents = new ConcurrentHashMap<>();

    /** @param config the configuration (defaults when there is none) */
    @Activate
    public DevDetailPlugin(Config config) {
        this(config, HostFacts.system());
    }

    DevDetailPlugin(Config config, HostFacts host) {
        this.defaults = new HostDefaults(host);
        this.leaves = resolve(config);
        LOG.info("DevDetail MO ready: {}", summary());
    }

    /** @param config the changed configuration, applied without re-registering the service */
    @Modified
    void modified(Config config) {
        leaves = resolve(config);
        LOG.info("DevDetail MO reconfigured: {}", summary());
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        leaves.forEach((uri, value) -> sb.append(sb.length() == 0 ? "" : " ").append(uri.relativeTo(ROOT_URI))
                .append('=').append(value.asString()));
        return sb.toString();
    }

    private Map<NodeUri, NodeValue> resolve(Config config) {
        Map<NodeUri, NodeValue> map = new LinkedHashMap<>();
        map.put(URI_URI.child("MaxDepth"), limit("URI/MaxDepth", config.uri_maxdepth(), DEFAULT_MAX_DEPTH));
        map.put(URI_URI.child("MaxTotLen"), limit("URI/MaxTotLen", config.uri_maxtotlen(), DEFAULT_MAX_TOT_LEN));
        map.put(URI_URI.child("MaxSegLen"), limit("URI/MaxSegLen", config.uri_maxseglen(), DEFAULT_MAX_SEG_LEN));
        map.put(ROOT_URI.child("DevTyp"), text(config.devtyp(), defaults.devTyp()));
        map.put(ROOT_URI.child("OEM"), text(config.oem(), defaults.oem()));
        map.put(ROOT_URI.child("FwV"), text(config.fwv(), defaults.fwV()));
        map.put(ROOT_URI.child("SwV"), text(config.swv(), defaults.swV()));
        map.put(ROOT_URI.child("HwV"), text(config.hwv(), defaults.hwV()));
        map.put(ROOT_URI.child("LrgObj"), NodeValue.ofBool(config.lrgobj()));
        return Collections.unmodifiableMap(map);
    }

    private static NodeValue limit(String name, int configured, int fallback) {
        if (configured < 0 || configured > 0xFFFF) {
            LOG.warn("Configured {} = {} is outside 0..65535; using {}", name, configured, fallback);
            return NodeValue.ofString(Integer.toString(fallback));
        }
        return NodeValue.ofString(Integer.toString(configured));
    }

    private static NodeValue text(String configured, String fallback) {
        String s = configured == null ? "" : configured.strip();
        return NodeValue.ofString(s.isEmpty() ? fallback : s);
    }

    /**
     * @param agent a FUMO update agent
     * @param props its service properties ({@value UpdateAgent#COMPONENT} names it)
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAgent(UpdateAgent agent, Map<String, Object> props) {
        Object c = props.get(UpdateAgent.COMPONENT);
        agents.put(agent, c == null ? "" : c.toString());
    }

    void removeAgent(UpdateAgent agent) {
        agents.remove(agent);
    }

    /** @return the leaf's value: from the agents for FwV/SwV when they report one, else the resolved one */
    private NodeValue value(NodeUri uri) {
        NodeValue fixed = leaves.get(uri);
        if (fixed == null || agents.isEmpty() || !uri.equals(FWV_URI) && !uri.equals(SWV_URI)) {
            return fixed;
        }
        boolean firmware = uri.equals(FWV_URI);
        Map<String, String> versions = new TreeMap<>();
        for (Map.Entry<UpdateAgent, String> e : agents.entrySet()) {
            try {
                UpdateAgent a = e.getKey();
                String v = a.isFirmware() == firmware ? a.installedVersion() : null;
                if (v != null && !v.isBlank()) {
                    versions.merge(e.getValue(), v.strip(), (x, y) -> x + "/" + y);
                }
            } catch (RuntimeException ex) {
                LOG.warn("Update agent for {} failed to report its version: {}", e.getValue(), ex.toString());
            }
        }
        if (versions.isEmpty()) {
            return fixed;
        }
        String text = versions.size() == 1 ? versions.values().iterator().next()
                : String.join(", ", versions.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        return NodeValue.ofString(text.length() > MAX_AGENT_TEXT ? text.substring(0, MAX_AGENT_TEXT) : text);
    }

    @Override
    public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
        if (uri.equals(ROOT_URI)) {
            return Optional.of(NodeInfo.interior(ROOT_URI).type(MO_ID).acl(Acl.of("Get=*")).permanent(true).build());
        }
        if (uri.equals(URI_URI)) {
            return Optional.of(NodeInfo.interior(URI_URI).permanent(true).build());
        }
        NodeValue value = value(uri);
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(NodeInfo.leaf(uri, value.format()).type(value.type()).permanent(true)
                .size(value.size()).build());
    }

    @Override
    public List<String> children(NodeUri uri, MoContext context) throws DmException {
        if (uri.equals(ROOT_URI)) {
            return ROOT_CHILDREN;
        }
        if (uri.equals(URI_URI)) {
            return URI_CHILDREN;
        }
        if (leaves.containsKey(uri)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is a leaf and has no children");
        }
        throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
    }

    @Override
    public NodeValue get(NodeUri uri, MoContext context) throws DmException {
        if (uri.equals(ROOT_URI) || uri.equals(URI_URI)) {
            return NodeValue.ofChildren(children(uri, context));
        }
        NodeValue value = value(uri);
        if (value == null) {
            throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
        }
        return value;
    }

    @Override
    public String toString() {
        return "DevDetailPlugin[" + ROOT + "]";
    }
}

package com.example.cardinal.mo.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.ManagementObject;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.mo.MoContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management object at {@code ./Example}:
 * <ul>
 * <li>{@code ./Example/Greeting} ({@code chr}, read-only): the configured greeting;</li>
 * <li>{@code ./Example/Note} ({@code chr}, Get and Replace): a note anyone with the right may set,
 * kept in memory (a real plugin would write its device, a file or configuration).</li>
 * </ul>
 * The tree engine finds the plugin as an OSGi service with the property {@code dm.mo.root=./Example}
 * (written by {@link ManagementObject}); it mounts the subtree when the bundle starts and removes it
 * when the bundle stops. It has checked the ACL and the URI limits before it calls a method here.
 *
 * <p>Configuration PID {@code com.example.cardinal.mo}, e.g. {@code etc/com.example.cardinal.mo.cfg}
 * with {@code greeting = Hello}; a change applies at once, without re-registering the service.
 */
@Component(service = ManagementObjectPlugin.class, configurationPid = ExamplePlugin.PID)
@ManagementObject(root = ExamplePlugin.ROOT, id = ExamplePlugin.MO_ID)
@Designate(ocd = ExamplePlugin.Config.class)
public final class ExamplePlugin implements ManagementObjectPlugin {
    /** The configuration PID. */
    public static final String PID = "com.example.cardinal.mo";
    /** The subtree this plugin owns. */
    public static final String ROOT = "./Example";
    /** The MO identifier, the root's Type (use your organisation's URN). */
    public static final String MO_ID = "urn:x-example:mo:example:1.0";

    /** The configuration; the defaults live here. */
    @ObjectClassDefinition(name = "Example MO", description = "Values of ./Example")
    public @interface Config {
        /** @return the value of ./Example/Greeting */
        @AttributeDefinition(name = "Greeting", description = "The value of ./Example/Greeting")
        String greeting() default "Hello from a Cardinal plugin";
    }

    /** The leaves below the root, in the order Get on the root lists them. */
    static final List<String> LEAVES = List.of("Greeting", "Note");
    /** The longest note accepted, in bytes. */
    static final int MAX_NOTE_BYTES = 256;

    private static final Logger LOG = LoggerFactory.getLogger(ExamplePlugin.class);
    private static final NodeUri ROOT_URI = NodeUri.of(ROOT);
    private static final NodeUri GREETING = ROOT_URI.child("Greeting");
    private static final NodeUri NOTE = ROOT_URI.child("Note");

    private volatile String greeting;
    private volatile String note = "";

    /** @param config the configuration (its defaults when there is none) */
    @Activate
    public ExamplePlugin(Config config) {
        this.greeting = config.greeting();
        LOG.info("Example MO ready at {}", ROOT);
    }

    /** @param config the changed configuration, applied in place */
    @Modified
    void modified(Config config) {
        this.greeting = config.greeting();
    }

    @Override
    public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
        if (uri.equals(ROOT_URI)) {
            // Get for every server; Note's own ACL adds Replace. Permanent: servers cannot delete it.
            return Optional.of(NodeInfo.interior(ROOT_URI).type(MO_ID).acl(Acl.of("Get=*")).permanent(true).build());
        }
        if (uri.equals(GREETING)) {
            return Optional.of(leaf(GREETING, greeting).build());
        }
        if (uri.equals(NOTE)) {
            return Optional.of(leaf(NOTE, note).acl(Acl.of("Get=*&Replace=*")).build());
        }
        return Optional.empty(); // the engine answers 404
    }

    private static NodeInfo.Builder leaf(NodeUri uri, String value) {
        return NodeInfo.leaf(uri, Format.CHR).type(NodeValue.TEXT_PLAIN).permanent(true)
                .size(value.getBytes(StandardCharsets.UTF_8).length);
    }

    @Override
    public List<String> children(NodeUri uri, MoContext context) throws DmException {
        if (uri.equals(ROOT_URI)) {
            return LEAVES;
        }
        if (uri.equals(GREETING) || uri.equals(NOTE)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is a leaf and has no children");
        }
        throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
    }

    @Override
    public NodeValue get(NodeUri uri, MoContext context) throws DmException {
        if (uri.equals(ROOT_URI)) {
            return NodeValue.ofChildren(LEAVES);
        }
        if (uri.equals(GREETING)) {
            return NodeValue.ofString(greeting);
        }
        if (uri.equals(NOTE)) {
            return NodeValue.ofString(note);
        }
        throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
    }

    @Override
    public void replace(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        if (!uri.equals(NOTE)) {
            // Greeting comes from configuration; the default method would say the same
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Replace is not supported on " + uri);
        }
        if (value.format() != Format.CHR) {
            throw new DmException(StatusCode.UNSUPPORTED_MEDIA_TYPE, "Note takes chr, not " + value.format());
        }
        if (value.size() > MAX_NOTE_BYTES) {
            throw new DmException(StatusCode.REQUEST_ENTITY_TOO_LARGE, "Note takes at most " + MAX_NOTE_BYTES + " bytes");
        }
        note = value.asString();
        LOG.debug("Note replaced by {}", context.principal());
    }

    @Override
    public String toString() {
        return "ExamplePlugin[" + ROOT + "]";
    }
}

package org.cardinaldm.mo.diag.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

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
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cardinal's own minimal diagnostics MO at {@code ./DiagMon} (not the OMA DiagMon 1.0 MO): the
 * device's recent log entries, read-only, for the help desk's "Logs" section (RD 5.2.1).
 * <pre>
 * ./DiagMon                 node  Type urn:x-cardinaldm:mo:diagmon:1.0, ACL Get=*
 *   Log                     node
 *     Count                 int   entries held now
 *     MaxEntries            int   capacity of the ring (configuration max.entries)
 *     Entries               node
 *       &lt;n&gt;                 node  sequence number, oldest first, never reused
 *         Time              chr   ISO-8601 UTC with milliseconds, e.g. 2026-11-27T22:50:52.123Z
 *         Level             chr   AUDIT, ERROR, WARN, INFO, DEBUG or TRACE
 *         Source            chr   bundle symbolic name, then the logger name in parentheses
 *                                 (left out when it is the bundle's name or R7's "LogService[.bsn]")
 *         Message           chr   masked ({@link SecretMasker}), one line, at most message.max.chars
 *     Clear                 null  Exec: drops every entry (ACL inherited: no server may, unless granted Exec)
 * </pre>
 * Entries come from the OSGi Log Service (R7, log 1.4) through {@link LogFeed}, which is active
 * only while a {@code LogReaderService} is there: without one the MO is there, empty (and this
 * class never touches the log types, whose package is an optional import). Entries below
 * {@code min.level} are ignored. Configuration PID {@code org.cardinaldm.mo.diag}. The component
 * is immediate: the ring lives as long as the bundle, whoever uses the MO (a delayed component
 * would lose its entries whenever its last user let go).
 */
@Component(service = {ManagementObjectPlugin.class, LogSink.class}, immediate = true,
        configurationPid = DiagMonPlugin.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@ManagementObject(root = DiagMonPlugin.ROOT, id = DiagMonPlugin.MO_ID)
@Designate(ocd = DiagMonPlugin.Config.class)
public final class DiagMonPlugin implements ManagementObjectPlugin, LogSink {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.mo.diag";
    /** The subtree root. */
    public static final String ROOT = "./DiagMon";
    /** The MO identifier: Cardinal's own. */
    public static final String MO_ID = "urn:x-cardinaldm:mo:diagmon:1.0";

    static final int DEFAULT_MAX_ENTRIES = 100;
    static final String DEFAULT_MIN_LEVEL = "WARN";
    static final int DEFAULT_MESSAGE_MAX_CHARS = 512;
    static final int MAX_MESSAGE_MAX_CHARS = 65_535;
    /** Characters kept beyond message.max.chars before masking: room for a secret's name and shape. */
    static final int PRE_CUT_MARGIN = 256;

    /** DiagMon configuration. */
    @ObjectClassDefinition(name = "Cardinal DiagMon MO (logs)",
            description = "The recent log entries shown at ./DiagMon/Log")
    public @interface Config {
        /** @return the ring's capacity */
        @AttributeDefinition(name = "Max entries", min = "1", max = "100000",
                description = "How many log entries are kept; the oldest goes first")
        int max_entries() default DEFAULT_MAX_ENTRIES;

        /** @return the least severe level kept */
        @AttributeDefinition(name = "Minimum level",
                description = "Least severe level kept: AUDIT, ERROR, WARN, INFO, DEBUG or TRACE")
        String min_level() default DEFAULT_MIN_LEVEL;

        /** @return the longest message kept */
        @AttributeDefinition(name = "Message max chars", min = "16", max = "65535",
                description = "Longer messages are cut (after masking) and end with an ellipsis")
        int message_max_chars() default DEFAULT_MESSAGE_MAX_CHARS;
    }

    private static final Logger LOG = LoggerFactory.getLogger(DiagMonPlugin.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final NodeUri ROOT_URI = NodeUri.of(ROOT);
    private static final NodeUri LOG_URI = ROOT_URI.child("Log");
    private static final NodeUri COUNT_URI = LOG_URI.child("Count");
    private static final NodeUri MAX_URI = LOG_URI.child("MaxEntries");
    private static final NodeUri ENTRIES_URI = LOG_URI.child("Entries");
    private static final NodeUri CLEAR_URI = LOG_URI.child("Clear");
    private static final List<String> ROOT_CHILDREN = List.of("Log");
    private static final List<String> LOG_CHILDREN = List.of("Count", "MaxEntries", "Entries", "Clear");
    private static final List<String> ENTRY_CHILDREN = List.of("Time", "Level", "Source", "Message");

    /** The logger name R7 gives entries logged through the old {@code LogService.log} methods (Felix adds ".<bsn>"). */
    private static final String LEGACY_LOGGER = "LogService";

    private final LogRing ring;
    /** The OSGi log levels, most severe first (the order of {@code org.osgi.service.log.LogLevel}). */
    static final List<String> LEVELS = List.of("AUDIT", "ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    private final AtomicLong newestSeen = new AtomicLong(Long.MIN_VALUE);
    private volatile int minLevel;
    private volatile int messageMaxChars;

    /** @param config the configuration (defaults when there is none) */
    @Activate
    public DiagMonPlugin(Config config) {
        this.ring = new LogRing(maxEntries(config));
        apply(config);
    }

    /** @param config the changed configuration, applied in place (entries are kept, up to the new capacity) */
    @Modified
    void modified(Config config) {
        ring.resize(maxEntries(config));
        apply(config);
    }

    private void apply(Config config) {
        minLevel = level(config.min_level());
        int chars = config.message_max_chars();
        if (chars < 16 || chars > MAX_MESSAGE_MAX_CHARS) {
            LOG.warn("Configured message.max.chars = {} is outside 16..{}; using {}", chars, MAX_MESSAGE_MAX_CHARS,
                    DEFAULT_MESSAGE_MAX_CHARS);
            chars = DEFAULT_MESSAGE_MAX_CHARS;
        }
        messageMaxChars = chars;
        LOG.info("DiagMon MO ready: max.entries={} min.level={} message.max.chars={}", ring.capacity(),
                LEVELS.get(minLevel), messageMaxChars);
    }

    private static int maxEntries(Config config) {
        int n = config.max_entries();
        if (n < 1 || n > LogRing.MAX_CAPACITY) {
            LOG.warn("Configured max.entries = {} is outside 1..{}; using {}", n, LogRing.MAX_CAPACITY,
                    DEFAULT_MAX_ENTRIES);
            return DEFAULT_MAX_ENTRIES;
        }
        return n;
    }

    private static int level(String configured) {
        int i = LEVELS.indexOf(configured == null ? "" : configured.strip().toUpperCase(Locale.ROOT));
        if (i < 0) {
            LOG.warn("Configured min.level = '{}' is not AUDIT, ERROR, WARN, INFO, DEBUG or TRACE; using {}",
                    configured, DEFAULT_MIN_LEVEL);
            return LEVELS.indexOf(DEFAULT_MIN_LEVEL);
        }
        return i;
    }

    /**
     * Keeps the entry when it is at least as severe as {@code min.level}. Never logs (that would
     * feed itself).
     */
    @Override
    public void offer(long time, String level, String bundle, String logger, String message, Throwable exception) {
        newestSeen.accumulateAndGet(time, Math::max);
        int severity = level == null ? -1 : LEVELS.indexOf(level);
        if (severity < 0 || severity > minLevel) {
            return;
        }
        ring.add(Instant.ofEpochMilli(time), level, source(bundle, logger), message(message, exception));
    }

    @Override
    public long newestSeen() {
        return newestSeen.get();
    }

    private static String source(String bsn, String logger) {
        if (bsn == null || bsn.isBlank()) {
            return logger == null || logger.isBlank() ? "unknown" : logger;
        }
        if (logger == null || logger.isBlank() || logger.equals(bsn) || logger.equals(LEGACY_LOGGER)
                || logger.equals(LEGACY_LOGGER + "." + bsn)) {
            return bsn;
        }
        return bsn + " (" + logger + ")";
    }

    private String message(String message, Throwable t) {
        StringBuilder sb = new StringBuilder(message == null ? "" : message);
        if (t != null) {
            sb.append(sb.length() == 0 ? "" : " | ").append(t.getClass().getName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
        }
        // masking before the final cut, so that a cut never exposes part of a secret; a first cut
        // well beyond it bounds the masking work for huge messages (the rules need far less context)
        int max = messageMaxChars;
        String raw = sb.length() > max + PRE_CUT_MARGIN ? sb.substring(0, max + PRE_CUT_MARGIN) : sb.toString();
        return truncate(SecretMasker.mask(oneLine(raw)), max);
    }

    private static String oneLine(CharSequence s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString().strip();
    }

    static String truncate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "\u2026";
    }

    @Override
    public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
        if (uri.equals(ROOT_URI)) {
            return Optional.of(NodeInfo.interior(ROOT_URI).type(MO_ID).acl(Acl.of("Get=*")).permanent(true).build());
        }
        if (uri.equals(LOG_URI) || uri.equals(ENTRIES_URI)) {
            return Optional.of(NodeInfo.interior(uri).permanent(true).build());
        }
        if (uri.equals(CLEAR_URI)) {
            return Optional.of(NodeInfo.leaf(uri, Format.NULL).permanent(true).size(0).build());
        }
        if (uri.equals(COUNT_URI) || uri.equals(MAX_URI)) {
            NodeValue v = leafValue(uri).orElseThrow();
            return Optional.of(NodeInfo.leaf(uri, v.format()).type(v.type()).permanent(true).size(v.size()).build());
        }
        Optional<LogLine> line = entry(uri);
        if (line.isEmpty()) {
            return Optional.empty();
        }
        if (uri.depth() == ENTRIES_URI.depth() + 1) {
            return Optional.of(NodeInfo.interior(uri).build());
        }
        return entryLeaf(line.get(), uri.name())
                .map(v -> NodeInfo.leaf(uri, v.format()).type(v.type()).size(v.size()).build());
    }

    @Override
    public List<String> children(NodeUri uri, MoContext context) throws DmException {
        if (uri.equals(ROOT_URI)) {
            return ROOT_CHILDREN;
        }
        if (uri.equals(LOG_URI)) {
            return LOG_CHILDREN;
        }
        if (uri.equals(ENTRIES_URI)) {
            return ring.snapshot().stream().map(l -> Long.toString(l.seq())).toList();
        }
        if (uri.depth() == ENTRIES_URI.depth() + 1 && entry(uri).isPresent()) {
            return ENTRY_CHILDREN;
        }
        if (describe(uri, context).isPresent()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is a leaf and has no children");
        }
        throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
    }

    @Override
    public NodeValue get(NodeUri uri, MoContext context) throws DmException {
        if (uri.equals(ROOT_URI) || uri.equals(LOG_URI) || uri.equals(ENTRIES_URI)) {
            return NodeValue.ofChildren(children(uri, context));
        }
        if (uri.equals(CLEAR_URI)) {
            return NodeValue.ofNull();
        }
        Optional<NodeValue> fixed = leafValue(uri);
        if (fixed.isPresent()) {
            return fixed.get();
        }
        Optional<LogLine> line = entry(uri);
        if (line.isPresent()) {
            if (uri.depth() == ENTRIES_URI.depth() + 1) {
                return NodeValue.ofChildren(ENTRY_CHILDREN);
            }
            Optional<NodeValue> v = entryLeaf(line.get(), uri.name());
            if (v.isPresent()) {
                return v.get();
            }
        }
        throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
    }

    /**
     * Exec on {@code ./DiagMon/Log/Clear} drops every entry; everything else is refused with 405.
     * The engine has checked the Exec ACL (inherited {@code Get=*}: granted to no server unless an
     * administrator adds {@code Exec=<ServerID>} on the node).
     */
    @Override
    public StatusCode exec(NodeUri uri, NodeValue data, String correlator, MoContext context) throws DmException {
        if (!uri.equals(CLEAR_URI)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Exec is not supported on " + uri);
        }
        int dropped = ring.size();
        ring.clear();
        LOG.info("DiagMon log cleared by {} ({} entries dropped)", context.principal().id(), dropped);
        return StatusCode.OK;
    }

    private Optional<NodeValue> leafValue(NodeUri uri) {
        if (uri.equals(COUNT_URI)) {
            return Optional.of(NodeValue.ofInt(ring.size()));
        }
        if (uri.equals(MAX_URI)) {
            return Optional.of(NodeValue.ofInt(ring.capacity()));
        }
        return Optional.empty();
    }

    /** @return the entry that the node at or below {@code ./DiagMon/Log/Entries/<n>} belongs to */
    private Optional<LogLine> entry(NodeUri uri) {
        if (!uri.startsWith(ENTRIES_URI) || uri.depth() <= ENTRIES_URI.depth()
                || uri.depth() > ENTRIES_URI.depth() + 2) {
            return Optional.empty();
        }
        String name = uri.segments().get(ENTRIES_URI.depth());
        if (name.isEmpty() || name.length() > 18 || !name.chars().allMatch(c -> c >= '0' && c <= '9')
                || (name.length() > 1 && name.charAt(0) == '0')) {
            return Optional.empty();
        }
        return ring.find(Long.parseLong(name));
    }

    private static Optional<NodeValue> entryLeaf(LogLine line, String leaf) {
        switch (leaf) {
            case "Time":
                return Optional.of(NodeValue.ofString(TIME.format(line.time())));
            case "Level":
                return Optional.of(NodeValue.ofString(line.level()));
            case "Source":
                return Optional.of(NodeValue.ofString(line.source()));
            case "Message":
                return Optional.of(NodeValue.ofString(line.message()));
            default:
                return Optional.empty();
        }
    }

    /** @return the ring, for tests */
    LogRing ring() {
        return ring;
    }

    @Override
    public String toString() {
        return "DiagMonPlugin[" + ROOT + "]";
    }
}

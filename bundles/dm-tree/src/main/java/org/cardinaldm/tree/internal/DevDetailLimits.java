package org.cardinaldm.tree.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.api.spi.store.StoredNode;
import org.cardinaldm.api.spi.store.TreeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link UriLimits} in force: MaxDepth, MaxTotLen and MaxSegLen read from
 * {@code ./DevDetail/URI} (whether a plugin or the store holds them), else the configured fallback;
 * cached for {@link #LIMITS_TTL} and dropped at once by {@link #invalidate()}.
 */
final class DevDetailLimits {
    private static final Logger LOG = LoggerFactory.getLogger(DevDetailLimits.class);

    /** Where the URI limits are read. */
    static final NodeUri DEVDETAIL_URI = NodeUri.of("./DevDetail/URI");
    /** How long URI limits read from DevDetail are reused. */
    static final Duration LIMITS_TTL = Duration.ofSeconds(1);

    private static final MoContext SYSTEM_CONTEXT = new PluginContext(Principal.system());

    private record CachedLimits(UriLimits limits, Instant until, long generation) {
    }

    private final TreeStore store;
    private final Mounts mounts;
    private final Clock clock;
    private final Supplier<Settings> settings;
    private volatile CachedLimits cachedLimits;
    private volatile long limitsGeneration;

    DevDetailLimits(TreeStore store, Mounts mounts, Clock clock, Supplier<Settings> settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.mounts = Objects.requireNonNull(mounts, "mounts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** @return the limits in force */
    UriLimits current() {
        CachedLimits c = cachedLimits;
        Instant now = clock.instant();
        long generation = limitsGeneration;
        if (c != null && c.generation() == generation && now.isBefore(c.until())) {
            return c.limits();
        }
        UriLimits fallback = settings.get().fallbackLimits();
        UriLimits read = new UriLimits(readLimit("MaxDepth", fallback.maxDepth()),
                readLimit("MaxTotLen", fallback.maxTotLen()), readLimit("MaxSegLen", fallback.maxSegLen()));
        cachedLimits = new CachedLimits(read, now.plus(LIMITS_TTL), generation);
        return read;
    }

    /** Drops the cached limits. */
    void invalidate() {
        synchronized (this) {
            limitsGeneration++;
        }
        cachedLimits = null;
    }

    private int readLimit(String name, int fallback) {
        NodeUri uri = DEVDETAIL_URI.child(name);
        try {
            PluginEntry plugin = mounts.owner(uri);
            NodeValue value;
            if (plugin != null) {
                value = PluginCalls.call(plugin, "get", uri, () -> plugin.plugin().get(uri, SYSTEM_CONTEXT));
            } else {
                Optional<StoredNode> stored = store.read(uri);
                if (stored.isEmpty() || stored.get().info().isInterior()) {
                    return fallback;
                }
                value = stored.get().value();
            }
            if (value == null) {
                return fallback;
            }
            long limit = Long.parseLong(value.asString().trim());
            if (limit < 0 || limit > 0xFFFF) {
                LOG.warn("{} = {} is outside 0..65535; using {}", uri, limit, fallback);
                return fallback;
            }
            return (int) limit;
        } catch (DmException | RuntimeException e) {
            LOG.debug("Cannot read {} ({}); using {}", uri, e.toString(), fallback);
            return fallback;
        }
    }

    /** @throws DmException 414 when the URI exceeds the limits in force */
    void check(NodeUri uri) throws DmException {
        current().check(uri);
    }
}

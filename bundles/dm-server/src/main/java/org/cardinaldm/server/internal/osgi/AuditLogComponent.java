package org.cardinaldm.server.internal.osgi;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditLog;
import org.cardinaldm.server.api.audit.AuditQuery;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.internal.AuditTrail;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The audit log of operator actions as a service, on the registry's store, with its retention. */
@Component(service = AuditLog.class, configurationPid = AuditLogComponent.PID)
@Designate(ocd = AuditLogComponent.Config.class)
public final class AuditLogComponent implements AuditLog {
    /** The configuration PID. */
    static final String PID = "org.cardinaldm.server.audit";

    /** Retention of the audit log. */
    @ObjectClassDefinition(name = "Cardinal audit log", description = "Operator actions kept in the registry")
    public @interface Config {
        /** @return the longest an entry is kept */
        @AttributeDefinition(description = "Days an audit entry is kept (0: no age limit)")
        int retention_days() default 365;

        /** @return the most entries */
        @AttributeDefinition(description = "The most audit entries kept, the newest (0: no row limit)")
        long retention_rows() default 1_000_000L;

        /** @return how often the retention runs */
        @AttributeDefinition(description = "Entries this node records between two runs of the retention")
        int prune_every() default 100;
    }

    private final AuditTrail trail;

    /**
     * @param store the registry's store
     * @param config the retention
     */
    @Activate
    public AuditLogComponent(@Reference ServerStore store, Config config) {
        if (config.retention_days() < 0 || config.retention_rows() < 0) {
            throw new IllegalArgumentException("retention.days and retention.rows cannot be negative in " + PID);
        }
        this.trail = new AuditTrail(store, Clock.systemUTC(), Duration.ofDays(config.retention_days()),
                config.retention_rows(), config.prune_every());
        trail.prune();
    }

    @Override
    public AuditEntry record(String user, AuditEntry.Channel channel, String action, String target, String outcome,
            String origin) {
        return trail.record(user, channel, action, target, outcome, origin);
    }

    @Override
    public List<AuditEntry> list(long after, int limit) {
        return trail.list(after, limit);
    }

    @Override
    public List<AuditEntry> list(AuditQuery query) {
        return trail.list(query);
    }
}

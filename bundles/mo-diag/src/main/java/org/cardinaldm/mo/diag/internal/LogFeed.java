package org.cardinaldm.mo.diag.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Feeds the OSGi Log Service (R7, log 1.4) into the {@link LogSink}: active only while a
 * {@code LogReaderService} is there (the best-ranked one). On activation it takes the reader's
 * recent history, oldest first and newer than anything the sink has seen (so that a reader going
 * and coming back, or a Clear, does not bring old entries back), then listens. Never logs itself
 * (that would feed itself).
 */
@Component(service = {})
public final class LogFeed implements LogListener {
    private final LogSink sink;
    private final LogReaderService reader;

    /**
     * @param sink where entries go
     * @param reader the log reader
     */
    @Activate
    public LogFeed(@Reference LogSink sink,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) LogReaderService reader) {
        this.sink = sink;
        this.reader = reader;
        List<LogEntry> history = new ArrayList<>();
        Enumeration<LogEntry> log = reader.getLog();
        while (log != null && log.hasMoreElements()) {
            history.add(log.nextElement());
        }
        Collections.reverse(history); // getLog() is most recent first
        long seen = sink.newestSeen();
        for (LogEntry entry : history) {
            if (entry.getTime() > seen) {
                logged(entry);
            }
        }
        reader.addLogListener(this);
    }

    /** Stops listening. */
    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        if (entry.getLogLevel() == null) {
            return;
        }
        Bundle bundle = entry.getBundle();
        sink.offer(entry.getTime(), entry.getLogLevel().name(), bundle == null ? null : bundle.getSymbolicName(),
                entry.getLoggerName(), entry.getMessage(), entry.getException());
    }
}

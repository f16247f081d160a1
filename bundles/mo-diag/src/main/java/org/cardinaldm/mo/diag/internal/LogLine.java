package org.cardinaldm.mo.diag.internal;

import java.time.Instant;
import java.util.Objects;

/**
 * One log entry as the DiagMon MO shows it: already masked and truncated.
 *
 * @param seq the ring's own sequence number, also the entry's node name; grows by one per entry
 * @param time when it was logged
 * @param level the OSGi log level name (AUDIT, ERROR, WARN, INFO, DEBUG, TRACE)
 * @param source the logging bundle's symbolic name and/or logger name
 * @param message the masked, single-line, truncated message
 */
record LogLine(long seq, Instant time, String level, String source, String message) {
    LogLine {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }
}

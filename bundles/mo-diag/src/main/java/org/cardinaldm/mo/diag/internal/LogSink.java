package org.cardinaldm.mo.diag.internal;

/**
 * Where {@link LogFeed} puts what the Log Service reports: the {@link DiagMonPlugin}, registered as
 * this internal service too, so that the plugin itself never touches the log types (their package
 * is an optional import).
 */
public interface LogSink {
    /**
     * Offers one log entry; the sink filters, masks, truncates and stores it.
     *
     * @param time milliseconds since the epoch
     * @param level the OSGi log level name (AUDIT, ERROR, WARN, INFO, DEBUG, TRACE)
     * @param bundle the logging bundle's symbolic name, or null
     * @param logger the logger name, or null
     * @param message the message, or null
     * @param exception the exception, or null
     */
    void offer(long time, String level, String bundle, String logger, String message, Throwable exception);

    /**
     * @return the time of the newest entry ever offered (kept or not, cleared or not), in
     *         milliseconds since the epoch; {@link Long#MIN_VALUE} before the first
     */
    long newestSeen();
}

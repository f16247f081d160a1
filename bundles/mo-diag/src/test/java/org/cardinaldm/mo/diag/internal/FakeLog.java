package org.cardinaldm.mo.diag.internal;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/** A Log Service reader of the tests' own: keeps history (newest first, as R7 says) and listeners. */
final class FakeLog implements LogReaderService {
    /** 2026-11-27T22:00:00Z */
    static final long T0 = 1_795_816_800_000L;

    final List<LogListener> listeners = new CopyOnWriteArrayList<>();
    private final List<LogEntry> history = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();

    /** Logs an entry: into the history and to every listener. */
    FakeLog log(LogLevel level, String bsn, String logger, String message, Throwable t) {
        Entry e = entry(level, bsn, logger, message, t);
        history.add(0, e);
        for (LogListener l : listeners) {
            l.logged(e);
        }
        return this;
    }

    FakeLog log(LogLevel level, String message) {
        return log(level, "org.example.bundle", "org.example.Foo", message, null);
    }

    Entry entry(LogLevel level, String bsn, String logger, String message, Throwable t) {
        long n = seq.incrementAndGet();
        return new Entry(bundle(bsn), level, logger, message, t, T0 + n * 1000 + 5, n);
    }

    static Bundle bundle(String bsn) {
        if (bsn == null) {
            return null;
        }
        return (Bundle) Proxy.newProxyInstance(FakeLog.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> bsn;
                    case "hashCode" -> bsn.hashCode();
                    case "equals" -> proxy == args[0];
                    case "toString" -> bsn;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Override
    public void addLogListener(LogListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeLogListener(LogListener listener) {
        listeners.remove(listener);
    }

    @Override
    public Enumeration<LogEntry> getLog() {
        return Collections.enumeration(new ArrayList<>(history));
    }

    record Entry(Bundle bundle, LogLevel level, String logger, String message, Throwable exception, long time,
            long sequence) implements LogEntry {
        @Override
        public Bundle getBundle() {
            return bundle;
        }

        @Override
        public ServiceReference<?> getServiceReference() {
            return null;
        }

        @Override
        @SuppressWarnings("deprecation")
        public int getLevel() {
            return level.ordinal();
        }

        @Override
        public String getMessage() {
            return message;
        }

        @Override
        public Throwable getException() {
            return exception;
        }

        @Override
        public long getTime() {
            return time;
        }

        @Override
        public LogLevel getLogLevel() {
            return level;
        }

        @Override
        public String getLoggerName() {
            return logger;
        }

        @Override
        public long getSequence() {
            return sequence;
        }

        @Override
        public String getThreadInfo() {
            return "main";
        }

        @Override
        public StackTraceElement getLocation() {
            return null;
        }
    }
}

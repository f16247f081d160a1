package org.cardinaldm.itests.fumo;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Proves that a firmware switch touched only the firmware feature's bundle: every other bundle keeps its id,
 * version, last-modified time and state, and none of them is STOPPED, UNRESOLVED (what a refresh does), UPDATED or
 * UNINSTALLED while this watcher listens (a synchronous listener, so no event is missed).
 */
final class OtherBundles implements SynchronousBundleListener, AutoCloseable {
    private final BundleContext context;
    private final String firmwareBundle;
    private final Map<Long, String> before;
    private final List<String> touched = new ArrayList<>();

    /**
     * @param context the probe's context
     * @param firmwareBundle the symbolic name of the firmware feature's bundle (its versions come and go)
     */
    OtherBundles(BundleContext context, String firmwareBundle) {
        this.context = context;
        this.firmwareBundle = firmwareBundle;
        this.before = state();
        context.addBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (firmwareBundle.equals(event.getBundle().getSymbolicName())) {
            return;
        }
        String what = switch (event.getType()) {
            case BundleEvent.STOPPED -> "stopped";
            case BundleEvent.UNRESOLVED -> "unresolved (refreshed)";
            case BundleEvent.UPDATED -> "updated";
            case BundleEvent.UNINSTALLED -> "uninstalled";
            default -> null;
        };
        if (what != null) {
            synchronized (touched) {
                touched.add(event.getBundle().getSymbolicName() + " " + what);
            }
        }
    }

    private Map<Long, String> state() {
        Map<Long, String> m = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            if (!firmwareBundle.equals(b.getSymbolicName())) {
                m.put(b.getBundleId(), b.getSymbolicName() + " " + b.getVersion() + " modified " + b.getLastModified()
                        + " state " + b.getState());
            }
        }
        return m;
    }

    /**
     * @param what the step, for the message
     */
    void assertUntouched(String what) {
        synchronized (touched) {
            assertEquals("bundles outside the firmware feature touched by " + what, List.of(), List.copyOf(touched));
        }
        assertEquals("id, version, last-modified time and state of every other bundle after " + what, before, state());
    }

    @Override
    public void close() {
        context.removeBundleListener(this);
    }
}

package org.cardinaldm.itests;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Watches every bundle except the ones a feature change is about, to prove that a {@code feature:install} or
 * {@code feature:uninstall} refreshed, stopped, updated or removed no other bundle: the other bundles keep their
 * ids, last-modified times and states, and none of them sends a STOPPED, UNRESOLVED, UPDATED or UNINSTALLED event
 * (a refresh stops and re-resolves a bundle, so it shows as STOPPED and UNRESOLVED).
 */
final class BundleWatch implements SynchronousBundleListener, AutoCloseable {
    private final BundleContext context;
    private final Set<String> exempt;
    private final Map<Long, String> before;
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    /**
     * Starts watching.
     *
     * @param context the probe's bundle context
     * @param exempt the symbolic names of the bundles the change installs or uninstalls
     */
    BundleWatch(BundleContext context, Set<String> exempt) {
        this.context = context;
        this.exempt = Set.copyOf(exempt);
        this.before = snapshot();
        context.addBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle b = event.getBundle();
        if (exempt.contains(b.getSymbolicName())) {
            return;
        }
        switch (event.getType()) {
            case BundleEvent.STOPPED:
                events.add(b.getSymbolicName() + " STOPPED");
                break;
            case BundleEvent.UNRESOLVED:
                events.add(b.getSymbolicName() + " UNRESOLVED");
                break;
            case BundleEvent.UPDATED:
                events.add(b.getSymbolicName() + " UPDATED");
                break;
            case BundleEvent.UNINSTALLED:
                events.add(b.getSymbolicName() + " UNINSTALLED");
                break;
            default:
                break;
        }
    }

    /** @return id, last-modified time and state of every bundle that is not exempt, by bundle id */
    private Map<Long, String> snapshot() {
        Map<Long, String> out = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            if (!exempt.contains(b.getSymbolicName())) {
                out.put(b.getBundleId(), b.getSymbolicName() + " modified " + b.getLastModified() + " state " + b.getState());
            }
        }
        return out;
    }

    /**
     * Asserts that no other bundle was touched.
     *
     * @param what the change, for the messages
     */
    void assertNoOtherBundleTouched(String what) {
        assertEquals("other bundles stopped, unresolved (refreshed), updated or uninstalled by " + what, List.of(),
                List.copyOf(new TreeSet<>(events)));
        assertEquals("ids, last-modified times and states of the other bundles after " + what, before, snapshot());
    }

    @Override
    public void close() {
        context.removeBundleListener(this);
    }
}

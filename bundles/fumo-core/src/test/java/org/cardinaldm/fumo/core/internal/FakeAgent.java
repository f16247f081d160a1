package org.cardinaldm.fumo.core.internal;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.FirmwarePackage;
import org.cardinaldm.fumo.api.spi.UpdateAgent;
import org.cardinaldm.fumo.api.spi.UpdateException;

/** An A/B update agent in memory: the running version, a pending one, calls recorded, failures on demand. */
final class FakeAgent implements UpdateAgent {
    /** Thrown by {@link #apply} to simulate a power cut (not an exception FUMO handles). */
    static final class PowerCut extends Error {
        private static final long serialVersionUID = 1L;
    }

    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile String installed = "1.0.0";
    volatile String pending;
    volatile String previous;
    volatile boolean healthy = true;
    volatile FumoResult failApply;
    volatile boolean cutDuringApply;
    volatile byte[] applied;

    @Override
    public String installedVersion() {
        return installed;
    }

    @Override
    public void apply(FirmwarePackage pkg) throws UpdateException {
        calls.add("apply");
        if (failApply != null) {
            throw new UpdateException(failApply, "cannot apply");
        }
        pending = pkg.manifest().manifest().version().text();
        previous = installed;
        try {
            applied = Files.readAllBytes(pkg.payload());
        } catch (java.io.IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "unreadable", e);
        }
        installed = pending;
        if (cutDuringApply) {
            throw new PowerCut();
        }
    }

    @Override
    public boolean healthy() {
        calls.add("healthy");
        return healthy;
    }

    @Override
    public void rollback() {
        calls.add("rollback");
        if (previous != null) {
            installed = previous;
        }
        pending = null;
    }

    @Override
    public void commit() {
        calls.add("commit");
        pending = null;
        previous = null;
    }

    @Override
    public Optional<String> pendingVersion() {
        return Optional.ofNullable(pending);
    }
}

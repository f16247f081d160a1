package org.cardinaldm.client.internal.session;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeSerialization;
import org.cardinaldm.client.internal.Settings;
import org.cardinaldm.client.internal.alerts.FileAlertQueue;
import org.cardinaldm.client.internal.auth.NonceStore;
import org.cardinaldm.client.internal.ui.UiAlerts;
import org.cardinaldm.syncml.api.MessageCodec;

/**
 * What every session of a client shares: the tree and its optional helpers, the UI, the nonce
 * store, the alert queue, the codecs, the settings, a clock and a way to wait between retries.
 *
 * @param tree the DM tree
 * @param serialization the tree's {@code ?list=} service, or a supplier of null
 * @param tnds the TNDS document service, or a supplier of null
 * @param ui the user-interaction alerts
 * @param nonces the nonce store
 * @param alerts the Generic Alert queue
 * @param codecs the message codec for a media type, if any
 * @param settings the settings
 * @param clock the clock
 * @param sleeper waits between retries
 */
public record SessionContext(DmTree tree, Supplier<TreeSerialization> serialization, Supplier<TndsDocuments> tnds,
        UiAlerts ui, NonceStore nonces, FileAlertQueue alerts, java.util.function.Function<String, Optional<MessageCodec>> codecs,
        Settings settings, Clock clock, Sleeper sleeper) {

    /** Waits between retries; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * @param d how long
         * @throws InterruptedException when interrupted
         */
        void sleep(Duration d) throws InterruptedException;

        /** The real one. */
        Sleeper REAL = d -> Thread.sleep(d.toMillis());
    }

    /** Checks for null. */
    public SessionContext {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(serialization, "serialization");
        Objects.requireNonNull(tnds, "tnds");
        Objects.requireNonNull(ui, "ui");
        Objects.requireNonNull(nonces, "nonces");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(codecs, "codecs");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
    }
}

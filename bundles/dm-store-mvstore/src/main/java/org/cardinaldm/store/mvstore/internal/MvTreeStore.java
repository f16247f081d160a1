package org.cardinaldm.store.mvstore.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.store.StoreTransaction;
import org.cardinaldm.api.spi.store.StoredNode;
import org.cardinaldm.api.spi.store.TreeStore;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link TreeStore}: one H2 MVStore file, by default
 * {@code ${karaf.data}/cardinal/tree.mv} ({@code ./data/cardinal/tree.mv} outside Karaf).
 *
 * <h2>File layout</h2>
 * Two MVStore maps: {@code cardinal.meta} (String → String; {@code layout=1}, the layout this
 * class writes) and {@code nodes} (String → byte[]), keyed as {@link NodeKeys} describes, each
 * value a record in the versioned format of {@link NodeCodec}. A file whose layout is newer than
 * this code knows is refused at open time, never misread.
 *
 * <h2>Transactions and crash safety</h2>
 * MVStore's own auto-commit is switched off entirely (no background writer, no commit on memory
 * pressure), so nothing reaches the file except through {@link StoreTransaction#commit()}. A
 * transaction buffers its writes in memory; commit applies them all to the map under an
 * exclusive lock and then calls {@link MVStore#commit()}, which writes them as one new chunk and
 * so one new store version, followed by an fsync (configurable). MVStore only ever recognises a
 * version whose chunk was written completely (chunk header and footer with checksums), so a
 * process killed at any point reopens at the previous or the new version: each transaction is
 * there completely or not at all. Reads outside a transaction take the shared side of the same
 * lock and so always see a committed state. One transaction writes at a time; {@link #begin()}
 * waits for the running one up to {@code lock.timeout.seconds}.
 *
 * <h2>Failures</h2>
 * A failed write (disk full, I/O error) answers 420 (disk full) or 510, drops the store's
 * in-memory state and reopens the file on the next call, so the state on disk — every committed
 * transaction — is what is served afterwards. A corrupt or locked file makes activation fail with
 * a message that names the file and what to do.
 */
@Component(service = TreeStore.class, configurationPid = MvTreeStore.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MvTreeStore.Config.class)
public final class MvTreeStore implements TreeStore {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.store.mvstore";

    /** Store configuration. */
    @ObjectClassDefinition(name = "Cardinal tree store (MVStore)",
            description = "The embedded file that persists the DM tree nodes no plugin owns")
    public @interface Config {
        /** @return the file */
        @AttributeDefinition(name = "File", required = false,
                description = "Store file; ${name} expands system properties. Empty: ${karaf.data}/cardinal/tree.mv")
        String file() default "";

        /** @return whether to fsync */
        @AttributeDefinition(name = "Sync on commit",
                description = "Force every commit to the disk (survives power loss); false survives only process crashes")
        boolean sync_on_commit() default true;

        /** @return cache size */
        @AttributeDefinition(name = "Cache (MB)", min = "1", description = "MVStore page cache size in MB")
        int cache_size_mb() default 4;

        /** @return lock timeout */
        @AttributeDefinition(name = "Lock timeout (s)", min = "0",
                description = "How long a new transaction waits for the running one before failing with 510")
        int lock_timeout_seconds() default 30;
    }

    static final String META_MAP = "cardinal.meta";
    static final String NODES_MAP = "nodes";
    static final String LAYOUT = "1";

    private static final Logger LOG = LoggerFactory.getLogger(MvTreeStore.class);
    /** Marks a key deleted in a transaction's buffer (compared by identity). */
    private static final byte[] DELETED = new byte[0];
    private static final int COMPACT_MILLIS = 200;
    private static final StoredNode DEFAULT_ROOT =
            StoredNode.of(NodeInfo.interior(NodeUri.root()).build(), NodeValue.interior());

    private final StoreSettings settings;
    private final Semaphore writer = new Semaphore(1, true);
    private final ReentrantReadWriteLock visibility = new ReentrantReadWriteLock();
    private final Object openLock = new Object();
    private volatile Open open;
    private volatile boolean closed;
    private int commitsSinceCompact;

    /** An open MVStore and its node map. */
    private record Open(MVStore store, MVMap<String, byte[]> nodes) {
    }

    /**
     * @param config the configuration
     * @throws IllegalStateException when the file cannot be opened (corrupt, locked, unreadable)
     */
    @Activate
    public MvTreeStore(Config config) {
        this(new StoreSettings(StoreSettings.resolvePath(config.file()), "", config.sync_on_commit(),
                config.cache_size_mb(), TimeUnit.SECONDS.toMillis(config.lock_timeout_seconds()), 256));
    }

    MvTreeStore(StoreSettings settings) {
        this.settings = settings.fileName().isEmpty() ? settings.withFileName(settings.file().toString()) : settings;
        this.open = openStore();
        LOG.info("Tree store opened: {} ({} nodes)", this.settings.file(), open.nodes().sizeAsLong());
    }

    /** @return the store file */
    Path file() {
        return settings.file();
    }

    private Open openStore() {
        Path file = settings.file();
        try {
            Path dir = file.getParent();
            if (dir != null) {
                OwnerOnly.folders(dir);
            }
            OwnerOnly.file(file);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the tree store " + file + " owner-only: " + e, e);
        }
        MVStore mv = null;
        try {
            mv = new MVStore.Builder().fileName(settings.fileName()).autoCommitDisabled().autoCommitBufferSize(0)
                    .cacheSize(settings.cacheSizeMb()).open();
            MVMap<String, String> meta = mv.openMap(META_MAP);
            String layout = meta.get("layout");
            if (layout == null) {
                if (mv.hasMap(NODES_MAP) && !mv.openMap(NODES_MAP).isEmpty()) {
                    throw new IllegalStateException("Tree store " + file + " has nodes but no layout marker;"
                            + " it was not written by Cardinal");
                }
                meta.put("layout", LAYOUT);
                meta.put("record.version", Integer.toString(NodeCodec.VERSION));
            } else if (!layout.equals(LAYOUT)) {
                throw new IllegalStateException("Tree store " + file + " has layout " + layout
                        + ", which this Cardinal cannot read (it reads layout " + LAYOUT + "); use a newer Cardinal");
            }
            MVMap<String, byte[]> nodes = mv.openMap(NODES_MAP, new MVMap.Builder<String, byte[]>()
                    .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
            mv.commit();
            if (settings.syncOnCommit()) {
                mv.sync();
            }
            return new Open(mv, nodes);
        } catch (MVStoreException e) {
            closeQuietly(mv);
            throw new IllegalStateException(openFailure(file, e), e);
        } catch (RuntimeException e) {
            closeQuietly(mv);
            throw e;
        }
    }

    private static String openFailure(Path file, MVStoreException e) {
        switch (e.getErrorCode()) {
            case DataUtils.ERROR_FILE_LOCKED:
                return "Tree store " + file + " is locked by another process (is a second Cardinal running on the same"
                        + " data directory?): " + e.getMessage();
            case DataUtils.ERROR_FILE_CORRUPT:
            case DataUtils.ERROR_CHUNK_NOT_FOUND:
            case DataUtils.ERROR_BLOCK_NOT_FOUND:
            case DataUtils.ERROR_SERIALIZATION:
                return "Tree store " + file + " is corrupt and cannot be opened; move it aside to start with an empty"
                        + " tree, or restore a backup (" + e.getMessage() + ")";
            case DataUtils.ERROR_UNSUPPORTED_FORMAT:
                return "Tree store " + file + " was written by a newer MVStore format: " + e.getMessage();
            default:
                return "Tree store " + file + " cannot be opened: " + e.getMessage();
        }
    }

    private static void closeQuietly(MVStore mv) {
        if (mv != null) {
            try {
                mv.closeImmediately();
            } catch (RuntimeException e) {
                LOG.debug("Closing a failed store", e);
            }
        }
    }

    /** Closes the file (compacting it briefly first); later calls fail with 510. Waits for a commit in progress. */
    @Deactivate
    public void close() {
        closed = true;
        visibility.writeLock().lock();
        try {
            Open o = open;
            open = null;
            if (o != null && !o.store().isClosed()) {
                try {
                    o.store().compactFile(COMPACT_MILLIS);
                    o.store().close();
                    LOG.info("Tree store closed: {}", settings.file());
                } catch (MVStoreException e) {
                    closeQuietly(o.store());
                    LOG.warn("Tree store {} did not close cleanly; committed data is safe: {}", settings.file(),
                            e.getMessage());
                    LOG.debug("Close failure of {}", settings.file(), e);
                }
            }
        } finally {
            visibility.writeLock().unlock();
        }
    }

    /** @return the open store, reopening the file after an earlier write failure */
    private Open current() throws DmException {
        Open o = open;
        if (o != null && !o.store().isClosed()) {
            return o;
        }
        synchronized (openLock) {
            if (closed) {
                throw new DmException(StatusCode.DATA_STORE_FAILURE, "Tree store " + settings.file() + " is closed");
            }
            o = open;
            if (o != null && !o.store().isClosed()) {
                return o;
            }
            try {
                o = openStore();
            } catch (RuntimeException e) {
                throw new DmException(StatusCode.DATA_STORE_FAILURE, "Tree store " + settings.file()
                        + " cannot be reopened after a failure: " + e.getMessage(), e);
            }
            open = o;
            LOG.info("Tree store {} reopened after a failure ({} nodes)", settings.file(), o.nodes().sizeAsLong());
            return o;
        }
    }

    /** Drops the in-memory state of a store whose write failed; the file is reopened on next use. */
    private void breakStore(Open o, RuntimeException cause) {
        synchronized (openLock) {
            if (open == o) {
                open = null;
            }
        }
        closeQuietly(o.store());
        LOG.warn("Tree store {} failed and will be reopened from its last commit: {}", settings.file(),
                cause.getMessage());
    }

    private DmException failure(String action, RuntimeException e) {
        if (isDiskFull(e)) {
            return new DmException(StatusCode.DEVICE_FULL, "Tree store " + settings.file() + ": the disk is full; "
                    + action + " was not applied and nothing committed earlier is lost", e);
        }
        if (closed) {
            return new DmException(StatusCode.DATA_STORE_FAILURE, "Tree store " + settings.file() + " is closed", e);
        }
        String what = e.getMessage();
        if (e instanceof MVStoreException) {
            switch (((MVStoreException) e).getErrorCode()) {
                case DataUtils.ERROR_CLOSED:
                    what = "the store was closed (" + e.getMessage() + ")";
                    break;
                case DataUtils.ERROR_WRITING_FAILED:
                    what = "writing to the file failed (" + e.getMessage() + ")";
                    break;
                case DataUtils.ERROR_READING_FAILED:
                    what = "reading the file failed (" + e.getMessage() + ")";
                    break;
                default:
                    break;
            }
        }
        return new DmException(StatusCode.DATA_STORE_FAILURE, "Tree store " + settings.file() + ": " + action
                + " failed: " + what, e);
    }

    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (t instanceof IOException && m != null && (m.contains("No space left on device")
                    || m.contains("Disk quota exceeded") || m.contains("not enough space on the disk"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<StoredNode> read(NodeUri uri) throws DmException {
        Open o = current();
        byte[] record;
        visibility.readLock().lock();
        try {
            record = o.nodes().get(NodeKeys.key(uri));
        } catch (RuntimeException e) {
            throw failure("reading " + uri, e);
        } finally {
            visibility.readLock().unlock();
        }
        return decoded(uri, record);
    }

    /** The root always exists: when it was never written (or was deleted) it reads as a plain interior node. */
    private static Optional<StoredNode> decoded(NodeUri uri, byte[] record) throws DmException {
        if (record == null) {
            return uri.isRoot() ? Optional.of(DEFAULT_ROOT) : Optional.empty();
        }
        return Optional.of(NodeCodec.decode(uri, record));
    }

    @Override
    public List<String> children(NodeUri uri) throws DmException {
        Open o = current();
        visibility.readLock().lock();
        try {
            List<String> names = new ArrayList<>();
            scan(o.nodes(), NodeKeys.childPrefix(uri), k -> names.add(NodeKeys.name(k)));
            return names;
        } catch (RuntimeException e) {
            throw failure("listing the children of " + uri, e);
        } finally {
            visibility.readLock().unlock();
        }
    }

    private static void scan(MVMap<String, byte[]> map, String prefix, java.util.function.Consumer<String> action) {
        Cursor<String, byte[]> c = map.cursor(prefix);
        while (c.hasNext()) {
            String k = c.next();
            if (!k.startsWith(prefix)) {
                return;
            }
            action.accept(k);
        }
    }

    @Override
    public StoreTransaction begin() throws DmException {
        if (closed) {
            throw new DmException(StatusCode.DATA_STORE_FAILURE, "Tree store " + settings.file() + " is closed");
        }
        try {
            if (!writer.tryAcquire(settings.lockTimeoutMillis(), TimeUnit.MILLISECONDS)) {
                throw new DmException(StatusCode.DATA_STORE_FAILURE, "Tree store " + settings.file()
                        + " is busy: another transaction has been open for more than "
                        + settings.lockTimeoutMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DmException(StatusCode.DATA_STORE_FAILURE, "Interrupted while waiting for the tree store");
        }
        try {
            return new Tx(current());
        } catch (DmException | RuntimeException e) {
            writer.release();
            throw e;
        }
    }

    /**
     * Housekeeping after a commit, under the writer permit. MVStore writes every commit as a new
     * chunk and reuses freed space only after its retention time (45 s), so a burst of commits
     * grows the file; every {@code compactEvery} commits the file is compacted (live chunks moved
     * together, the tail truncated), which is crash-safe in MVStore and takes a few tens of ms.
     */
    private void maybeCompact(Open o) {
        if (settings.compactEvery() <= 0 || ++commitsSinceCompact < settings.compactEvery()) {
            return;
        }
        commitsSinceCompact = 0;
        compact(o, COMPACT_MILLIS);
    }

    private void compact(Open o, int millis) {
        visibility.writeLock().lock();
        try {
            o.store().compactFile(millis);
        } catch (MVStoreException e) {
            LOG.debug("Compaction failure of {}", settings.file(), e);
            breakStore(o, e);
        } finally {
            visibility.writeLock().unlock();
        }
    }

    /** A write transaction: a sorted buffer of puts and deletes over the committed map. */
    private final class Tx implements StoreTransaction {
        private final Open o;
        private final NavigableMap<String, byte[]> buffer = new TreeMap<>();
        private boolean done;

        Tx(Open o) {
            this.o = o;
        }

        private void checkOpen() {
            if (done) {
                throw new IllegalStateException("Store transaction already committed or closed");
            }
        }

        private byte[] record(String key) throws DmException {
            byte[] r = buffer.get(key);
            if (r != null) {
                return r == DELETED ? null : r;
            }
            try {
                return o.nodes().get(key);
            } catch (RuntimeException e) {
                throw failure("reading", e);
            }
        }

        @Override
        public Optional<StoredNode> read(NodeUri uri) throws DmException {
            checkOpen();
            return decoded(uri, record(NodeKeys.key(uri)));
        }

        @Override
        public List<String> children(NodeUri uri) throws DmException {
            checkOpen();
            String prefix = NodeKeys.childPrefix(uri);
            TreeSet<String> keys = new TreeSet<>();
            try {
                scan(o.nodes(), prefix, keys::add);
            } catch (RuntimeException e) {
                throw failure("listing the children of " + uri, e);
            }
            for (Map.Entry<String, byte[]> e : buffer.tailMap(prefix, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                if (e.getValue() == DELETED) {
                    keys.remove(e.getKey());
                } else {
                    keys.add(e.getKey());
                }
            }
            List<String> names = new ArrayList<>(keys.size());
            keys.forEach(k -> names.add(NodeKeys.name(k)));
            return names;
        }

        @Override
        public void put(StoredNode node) throws DmException {
            checkOpen();
            NodeUri uri = node.info().uri();
            if (uri.isRoot()) {
                if (!node.info().isInterior()) {
                    throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The root must be an interior node");
                }
            } else if (!uri.parent().isRoot()) {
                byte[] parent = record(NodeKeys.key(uri.parent()));
                if (parent == null) {
                    throw new DmException(StatusCode.NOT_FOUND, "Cannot store " + uri + ": its parent is not stored");
                }
                if (!isInteriorRecord(parent)) {
                    throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Cannot store " + uri
                            + ": its parent is a leaf");
                }
            }
            String key = NodeKeys.key(uri);
            if (!node.info().isInterior()) {
                byte[] existing = record(key);
                if (existing != null && isInteriorRecord(existing) && !children(uri).isEmpty()) {
                    throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Cannot turn interior node " + uri
                            + " into a leaf while it has children");
                }
            }
            buffer.put(key, NodeCodec.encode(node));
        }

        @Override
        public void deleteSubtree(NodeUri uri) throws DmException {
            checkOpen();
            buffer.put(NodeKeys.key(uri), DELETED);
            for (String prefix : List.of(NodeKeys.childPrefix(uri), NodeKeys.deepPrefix(uri))) {
                try {
                    scan(o.nodes(), prefix, k -> buffer.put(k, DELETED));
                } catch (RuntimeException e) {
                    throw failure("deleting " + uri, e);
                }
                Iterator<Map.Entry<String, byte[]>> it = buffer.tailMap(prefix, true).entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, byte[]> e = it.next();
                    if (!e.getKey().startsWith(prefix)) {
                        break;
                    }
                    e.setValue(DELETED);
                }
            }
        }

        @Override
        public void commit() throws DmException {
            checkOpen();
            done = true;
            try {
                if (closed) {
                    throw new DmException(StatusCode.DATA_STORE_FAILURE, "Tree store " + settings.file()
                            + " is closed; the transaction was not applied");
                }
                if (buffer.isEmpty()) {
                    return;
                }
                visibility.writeLock().lock();
                try {
                    MVMap<String, byte[]> nodes = o.nodes();
                    for (Map.Entry<String, byte[]> e : buffer.entrySet()) {
                        if (e.getValue() == DELETED) {
                            nodes.remove(e.getKey());
                        } else {
                            nodes.put(e.getKey(), e.getValue());
                        }
                    }
                    o.store().commit();
                    if (settings.syncOnCommit()) {
                        o.store().sync();
                    }
                } catch (RuntimeException e) {
                    breakStore(o, e);
                    throw failure("committing " + buffer.size() + " changes", e);
                } finally {
                    visibility.writeLock().unlock();
                }
                maybeCompact(o);
            } finally {
                buffer.clear();
                writer.release();
            }
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                buffer.clear();
                writer.release();
            }
        }
    }

    static boolean isInteriorRecord(byte[] record) {
        return record.length > 2 && record[2] == NodeCodec.code(org.cardinaldm.api.Format.NODE);
    }

    @Override
    public String toString() {
        return "MvTreeStore[" + settings.file() + "]";
    }
}

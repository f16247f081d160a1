package org.cardinaldm.smartcard.sim.internal.vpcd;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Exclusive use of one vpcd port (one virtual reader of the machine's pcscd) across JVMs: tests and tools that
 * plug a card into vpcd port N hold {@code /tmp/cardinal-vpcd-N.lock} ({@link FileChannel#lock()}) for as long
 * as they use the reader, so that two of them never serve the same reader at once. Within one JVM a fair
 * semaphore per port does the same (a JVM cannot lock one file twice). The lock goes with the process, so a
 * killed test cannot leave it behind.
 */
public final class VpcdPortLock implements AutoCloseable {
    private static final Map<Integer, Semaphore> IN_JVM = new ConcurrentHashMap<>();

    private final Semaphore permit;
    private final FileChannel channel;
    private final FileLock lock;

    private VpcdPortLock(Semaphore permit, FileChannel channel, FileLock lock) {
        this.permit = permit;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param port the vpcd port
     * @return the lock file of that port
     */
    public static Path file(int port) {
        return Path.of(System.getProperty("java.io.tmpdir", "/tmp"), "cardinal-vpcd-" + port + ".lock");
    }

    /**
     * Waits (bounded) until this process holds the port.
     *
     * @param port the vpcd port, e.g. 35963
     * @param maxWait how long to wait for another holder to finish
     * @return the held lock; close it to release the port
     * @throws IOException if the lock file cannot be opened, or the port stayed taken for {@code maxWait}
     * @throws InterruptedException if interrupted while waiting
     */
    public static VpcdPortLock acquire(int port, Duration maxWait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        Semaphore permit = IN_JVM.computeIfAbsent(port, p -> new Semaphore(1, true));
        if (!permit.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IOException("vpcd port " + port + " stayed in use by this JVM for " + maxWait);
        }
        FileChannel channel = null;
        try {
            channel = open(file(port));
            FileChannel c = channel;
            ExecutorService waiter = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "dm-card-vpcd-lock-" + port);
                t.setDaemon(true);
                return t;
            });
            try {
                Future<FileLock> pending = waiter.submit((java.util.concurrent.Callable<FileLock>) c::lock);
                long left = Math.max(1, deadline - System.nanoTime());
                return new VpcdPortLock(permit, channel, pending.get(left, TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                throw new IOException("vpcd port " + port + " stayed locked by another process (" + file(port) + ") for "
                        + maxWait);
            } catch (ExecutionException e) {
                throw new IOException("Cannot lock " + file(port) + ": " + e.getCause(), e.getCause());
            } finally {
                waiter.shutdownNow();
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (channel != null) {
                channel.close(); // also ends a lock() still waiting
            }
            permit.release();
            throw e;
        }
    }

    private static FileChannel open(Path file) throws IOException {
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (created) {
            try {
                // other users' tests must be able to lock it too; the file holds nothing
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            } catch (IOException | UnsupportedOperationException e) {
                // best effort
            }
        }
        return channel;
    }

    /** Releases the port. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            permit.release();
        }
    }
}

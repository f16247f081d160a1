package org.cardinaldm.smartcard.sim.internal.image;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.smartcard.sim.internal.card.Uicc;

/**
 * Stores the card image crash-safely in one file with two slots and a generation counter, so that a card
 * pulled (or a process killed, or power lost) in the middle of a write leaves either the previous or the new
 * image, never a mix.
 *
 * <p>Layout, big-endian:
 * <pre>
 * header (64 bytes): "CDSIMG01", u32 version (1), u32 slot capacity C, zero padding
 * slot 0 at offset 64, slot 1 at offset 64 + C, each:
 *   "SLOT", s64 generation, u32 length n, n bytes image, SHA-256 over (generation, length, image)
 * </pre>
 * A save writes the slot that does not hold the newest image, then forces it to disk; the other slot is
 * not touched. Loading takes the valid slot (magic, length and hash correct) with the highest generation.
 * Creating the file, or growing it when an image no longer fits C, writes a complete new file next to it,
 * forces it, and renames it over the old one atomically (then forces the directory), so that path is
 * tear-safe too.
 *
 * <p>The store holds an exclusive lock on {@code <file>.lock} from construction to {@link #close()}, so two
 * simulators cannot share an image. New files are readable by the owner only where POSIX permissions exist,
 * because an image holds PINs and keys.
 */
public final class SlotImageStore implements Uicc.ImageSink, Closeable {
    static final int HEADER_SIZE = 64;
    static final int SLOT_OVERHEAD = 4 + 8 + 4 + 32;
    private static final byte[] FILE_MAGIC = {'C', 'D', 'S', 'I', 'M', 'G', '0', '1'};
    private static final byte[] SLOT_MAGIC = {'S', 'L', 'O', 'T'};
    private static final int VERSION = 1;
    private static final int MIN_CAPACITY = 4096;
    private static final int MAX_CAPACITY = 16 * 1024 * 1024;

    /** Writes bytes to a file; replaced in tests to simulate a write interrupted by power loss. */
    @FunctionalInterface
    interface Writer {
        void write(FileChannel channel, ByteBuffer data, long position) throws IOException;
    }

    static final Writer FULL_WRITE = (channel, data, position) -> {
        long p = position;
        while (data.hasRemaining()) {
            p += channel.write(data, p);
        }
    };

    private final Path file;
    private final Writer writer;
    private final boolean sync;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel channel;
    private int capacity;
    private long generation;
    private int newestSlot = -1;

    /**
     * Opens (without reading) the store for {@code file}, taking its lock.
     *
     * @param file the image file; it need not exist yet
     * @throws IOException if the lock is held by another simulator or cannot be taken
     */
    public SlotImageStore(Path file) throws IOException {
        this(file, FULL_WRITE, true);
    }

    /**
     * @param file the image file
     * @param writer how bytes are written (tests simulate power loss with it)
     * @param sync whether to force writes to disk; only tests that simulate tears in-process turn it off,
     *        because forcing changes nothing about what a reader of the same file sees
     */
    SlotImageStore(Path file, Writer writer, boolean sync) throws IOException {
        this.file = file.toAbsolutePath();
        this.writer = Objects.requireNonNull(writer, "writer");
        this.sync = sync;
        Path dir = this.file.getParent();
        if (dir != null) {
            createOwnerOnlyDirectories(dir);
        }
        Path lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        if (!Files.exists(lockFile) && posix(dir)) {
            try {
                Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another simulator made it meanwhile: the lock below decides
            }
        }
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("Card image " + this.file + " is in use by another simulated card");
        }
        lock = l;
    }

    /** @return the image file */
    public Path file() {
        return file;
    }

    /** @return the generation of the newest image loaded or saved (0 before any) */
    public synchronized long generation() {
        return generation;
    }

    /**
     * Reads the newest valid image.
     *
     * @return the image, or empty if the file does not exist
     * @throws IOException if the file exists but holds no valid image, or cannot be read
     */
    public synchronized Optional<byte[]> load() throws IOException {
        closeChannel();
        if (!Files.exists(file)) {
            generation = 0;
            newestSlot = -1;
            return Optional.empty();
        }
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        readFully(channel, header, 0);
        header.flip();
        byte[] magic = new byte[FILE_MAGIC.length];
        if (header.remaining() < HEADER_SIZE) {
            throw new IOException("Card image " + file + " is truncated (no header)");
        }
        header.get(magic);
        int version = header.getInt();
        int cap = header.getInt();
        if (!Arrays.equals(magic, FILE_MAGIC) || version != VERSION || cap < MIN_CAPACITY || cap > MAX_CAPACITY) {
            throw new IOException("Card image " + file + " has no valid header");
        }
        capacity = cap;
        byte[] best = null;
        long bestGeneration = -1;
        int bestSlot = -1;
        for (int slot = 0; slot < 2; slot++) {
            Slot s = readSlot(slot);
            if (s != null && s.generation > bestGeneration) {
                best = s.image;
                bestGeneration = s.generation;
                bestSlot = slot;
            }
        }
        if (best == null) {
            throw new IOException("Card image " + file + " holds no valid slot");
        }
        generation = bestGeneration;
        newestSlot = bestSlot;
        return Optional.of(best);
    }

    private static final class Slot {
        final long generation;
        final byte[] image;

        Slot(long generation, byte[] image) {
            this.generation = generation;
            this.image = image;
        }
    }

    private Slot readSlot(int slot) throws IOException {
        long offset = HEADER_SIZE + (long) slot * capacity;
        ByteBuffer head = ByteBuffer.allocate(16);
        readFully(channel, head, offset);
        head.flip();
        if (head.remaining() < 16) {
            return null;
        }
        byte[] magic = new byte[4];
        head.get(magic);
        long gen = head.getLong();
        int length = head.getInt();
        if (!Arrays.equals(magic, SLOT_MAGIC) || gen < 1 || length < 0 || length > capacity - SLOT_OVERHEAD) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length + 32);
        readFully(channel, body, offset + 16);
        body.flip();
        if (body.remaining() < length + 32) {
            return null;
        }
        byte[] image = new byte[length];
        body.get(image);
        byte[] hash = new byte[32];
        body.get(hash);
        if (!MessageDigest.isEqual(hash, digest(gen, image))) {
            return null;
        }
        return new Slot(gen, image);
    }

    private static void readFully(FileChannel ch, ByteBuffer buffer, long position) throws IOException {
        long p = position;
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer, p);
            if (n < 0) {
                return;
            }
            p += n;
        }
    }

    /**
     * Stores a new image as the next generation. Returns only after the bytes are forced to disk.
     *
     * @param image the encoded image
     * @throws IOException if it could not be written; the previous image is still the newest valid one
     */
    @Override
    public synchronized void save(byte[] image) throws IOException {
        long next = generation + 1;
        if (channel == null || newestSlot < 0 || image.length > capacity - SLOT_OVERHEAD) {
            rewrite(image, next);
            return;
        }
        int target = 1 - newestSlot;
        ByteBuffer slot = slotBytes(next, image);
        writer.write(channel, slot, HEADER_SIZE + (long) target * capacity);
        if (sync) {
            channel.force(false);
        }
        generation = next;
        newestSlot = target;
    }

    /** Writes a complete new file (header, the image in slot 0, an empty slot 1) and renames it into place. */
    private void rewrite(byte[] image, long gen) throws IOException {
        int needed = image.length + SLOT_OVERHEAD;
        int cap = Math.max(MIN_CAPACITY, capacity);
        while (cap < 2 * needed) {
            cap *= 2;
        }
        if (cap > MAX_CAPACITY) {
            throw new IOException("Card image too large: " + image.length + " bytes");
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("Cannot create " + tmp, e);
        }
        ByteBuffer all = ByteBuffer.allocate(HEADER_SIZE + 2 * cap);
        all.put(FILE_MAGIC).putInt(VERSION).putInt(cap);
        all.position(HEADER_SIZE);
        all.put(slotBytes(gen, image));
        all.position(0);
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            writer.write(out, all, 0);
            if (sync) {
                out.force(true);
            }
        }
        closeChannel();
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The file system of " + file + " cannot rename atomically", e);
        }
        if (sync) {
            forceDirectory(file.getParent());
        }
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        capacity = cap;
        generation = gen;
        newestSlot = 0;
    }

    private static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms cannot open directories; the rename is still atomic
        }
    }

    private static ByteBuffer slotBytes(long gen, byte[] image) {
        ByteBuffer b = ByteBuffer.allocate(SLOT_OVERHEAD + image.length);
        b.put(SLOT_MAGIC).putLong(gen).putInt(image.length).put(image).put(digest(gen, image));
        b.flip();
        return b;
    }

    private static byte[] digest(long gen, byte[] image) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(12).putLong(gen).putInt(image.length).array());
            sha.update(image);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /**
     * The card image holds the card's keys: the folders this store creates are its owner's only ({@code rwx------}),
     * whatever the umask; folders that exist keep their mode.
     */
    private static void createOwnerOnlyDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createOwnerOnlyDirectories(parent);
        }
        try {
            if (posix(parent)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } else {
                Files.createDirectory(dir);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // made meanwhile by someone else: keep it as it is
        }
    }

    private static boolean posix(Path dir) throws IOException {
        return dir != null && Files.exists(dir)
                && Files.getFileStore(dir).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class);
    }

    /** Releases the file and the lock. */
    @Override
    public synchronized void close() throws IOException {
        try {
            closeChannel();
        } finally {
            try {
                lock.release();
            } catch (IOException | RuntimeException e) {
                // the channel close below releases it anyway
            }
            lockChannel.close(); // the lock file stays: deleting it would race with a simulator taking it
        }
    }
}

package org.cardinaldm.client.api.spi;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small text file in which the device agent or one of its plugins keeps what a check must remember across
 * restarts, such as which notifications were accepted or how many wrong digests a card's key has absorbed
 * (digest 4). It is written owner-only where the file system has POSIX permissions, and replaced atomically
 * (a synced temporary file moved over it), so that a crash leaves the old or the new content, never half of
 * it. A file that cannot be read is moved {@link #aside() aside}, and its owner starts empty. Never put a
 * secret, nonce or digest in it: store hashes. Not thread-safe; callers synchronise.
 *
 * @since 1.2
 */
public final class StateFile {
    /** Reads the lines of a state file. */
    @FunctionalInterface
    public interface Lines {
        /**
         * @param lines the file's lines; index 0 is the header, already checked
         * @throws IOException when a line cannot be read (the file is then set aside)
         */
        void read(String[] lines) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);

    private final Path file;

    private StateFile(Path file) {
        this.file = file;
    }

    /**
     * @param file the file; its folder is created on the first write
     * @return a state file at that place
     */
    public static StateFile of(Path file) {
        return new StateFile(Objects.requireNonNull(file, "file"));
    }

    /** @return the file */
    public Path path() {
        return file;
    }

    /**
     * Reads the file: checks its size and its first line, then hands all its lines to the parser. A file that is
     * too large, does not start with the header, cannot be read, or that the parser refuses (with an
     * {@link IOException} or a {@link RuntimeException}) is moved {@link #aside()}, so that an operator can look
     * at it; the caller then starts empty.
     *
     * @param maxBytes the largest file accepted
     * @param header the first line the file must have
     * @param parser takes the lines
     * @return empty when the file was read, or there is none; else why it was not
     */
    public Optional<Exception> load(long maxBytes, String header, Lines parser) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(parser, "parser");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            if (Files.size(file) > maxBytes) {
                throw new IOException("larger than " + maxBytes + " bytes");
            }
            String[] lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n");
            if (!header.equals(lines[0])) {
                throw new IOException("the first line is not '" + header + "'");
            }
            parser.read(lines);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            setAside();
            return Optional.of(e);
        }
    }

    /**
     * Replaces the file's content atomically, owner-only.
     *
     * @param text the new content (UTF-8)
     * @throws IOException when it cannot be written; the old content is then still in place
     */
    public void write(String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.getFD().sync();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return where an unreadable file is moved: the same name with {@code .corrupt} appended */
    public Path aside() {
        return file.resolveSibling(file.getFileName() + ".corrupt");
    }

    /** Moves the file aside (replacing an older one); a file that cannot be moved is logged and left in place. */
    private void setAside() {
        try {
            Files.move(file, aside(), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException moveFailed) {
            LOG.warn("Cannot move {} aside: {}", file, moveFailed.toString());
        }
    }
}

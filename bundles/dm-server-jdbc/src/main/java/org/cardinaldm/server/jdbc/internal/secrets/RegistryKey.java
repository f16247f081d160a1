package org.cardinaldm.server.jdbc.internal.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.cardinaldm.server.api.spi.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AES-256 key that encrypts the registry's secrets, and its public identifier. The key lives in a
 * file of its own, apart from the database: one comment line and the 32 key bytes in base64. The
 * identifier ({@link #id()}) is the first 8 bytes of SHA-256 over a label and the key, in hexadecimal:
 * it tells which key encrypted a row without revealing anything of the key. {@link #toString()} prints
 * the identifier only.
 */
public final class RegistryKey {
    /** Key length in bytes (AES-256). */
    public static final int KEY_BYTES = 32;
    private static final Logger LOG = LoggerFactory.getLogger(RegistryKey.class);
    private static final String HEADER = "# Cardinal DM server registry key (AES-256, base64): encrypts the secrets of the "
            + "registry. Keep it owner-only and apart from the database and its backups.";

    private final SecretKey key;
    private final String id;

    private RegistryKey(byte[] material) {
        this.key = new SecretKeySpec(material, "AES");
        this.id = idOf(material);
    }

    /**
     * @param material 32 bytes (copied)
     * @return the key
     * @throws IllegalArgumentException when the length is not 32 bytes
     */
    public static RegistryKey of(byte[] material) {
        if (material.length != KEY_BYTES) {
            throw new IllegalArgumentException("a registry key has " + KEY_BYTES + " bytes");
        }
        return new RegistryKey(material.clone());
    }

    /** @return a new random key (in memory only) */
    public static RegistryKey random() {
        byte[] material = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(material);
        return new RegistryKey(material);
    }

    /**
     * Reads the key file, or creates it with a new random key when it does not exist: the file is
     * written owner-only ({@code rw-------}) and moved into place whole, the folders it needs are created
     * owner-only ({@code rwx------}), whatever the umask.
     *
     * @param file the key file
     * @return its key
     * @throws StoreException when the file cannot be read or written, or holds no key (the message never
     *         quotes the file's content)
     */
    public static RegistryKey loadOrCreate(Path file) {
        try {
            return read(file);
        } catch (NoSuchFileException e) {
            return create(file);
        } catch (IOException e) {
            throw new StoreException("cannot read the registry key file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /**
     * @param file an existing key file
     * @return its key
     * @throws NoSuchFileException when the file does not exist
     * @throws IOException when it cannot be read
     * @throws StoreException when it holds no key
     */
    public static RegistryKey read(Path file) throws IOException {
        byte[] material = null;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            try {
                material = Base64.getDecoder().decode(t);
            } catch (IllegalArgumentException e) {
                material = null;
            }
            break;
        }
        if (material == null || material.length != KEY_BYTES) {
            throw new StoreException("the registry key file " + file + " holds no " + KEY_BYTES
                    + "-byte base64 key (see docs/operator-guide.md, \"Credentials\")");
        }
        Set<PosixFilePermission> mode = OwnerOnly.permissions(file);
        if (mode != null && !OwnerOnly.FILE.containsAll(mode)) {
            LOG.warn("The registry key file {} is readable by others ({}); making it owner-only", file, mode);
            OwnerOnly.restrictFile(file);
        }
        RegistryKey key = new RegistryKey(material);
        Arrays.fill(material, (byte) 0);
        return key;
    }

    private static RegistryKey create(Path file) {
        RegistryKey key = random();
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            OwnerOnly.folders(dir);
            temp = Files.createTempFile(dir, ".registry-key", ".tmp");
            OwnerOnly.restrictFile(temp);
            byte[] material = key.key.getEncoded();
            Files.writeString(temp, HEADER + "\n" + Base64.getEncoder().encodeToString(material) + "\n",
                    StandardCharsets.US_ASCII);
            Arrays.fill(material, (byte) 0);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file);
            }
            temp = null;
            OwnerOnly.restrictFile(file);
        } catch (IOException e) {
            throw new StoreException("cannot create the registry key file " + file + ": " + e.getClass().getSimpleName()
                    + " " + e.getMessage());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.debug("Cannot remove {}", temp);
                }
            }
        }
        LOG.info("Created the registry key {} in {}", key.id, file);
        return key;
    }

    private static String idOf(byte[] material) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("cardinal-registry-key-id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(material), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    /** @return the identifier (16 hexadecimal digits), stored with every row this key encrypted */
    public String id() {
        return id;
    }

    SecretKey secretKey() {
        return key;
    }

    @Override
    public String toString() {
        return "RegistryKey[" + id + "]";
    }
}

package org.cardinaldm.server.jdbc.internal.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import org.cardinaldm.server.api.spi.StoreException;

/**
 * Encrypts and decrypts the registry's secrets with AES-256-GCM. Every value gets a fresh random 96-bit
 * IV; the stored text is {@code base64(IV || ciphertext || 128-bit tag)}. The associated data binds a
 * value to its place (table, column and row), so a value copied into another row or column, or changed
 * in any way, fails its check instead of being accepted. The row records the {@link RegistryKey#id()}
 * of its key; besides the current key an optional previous key decrypts rows not yet re-encrypted
 * (rotation). Errors name keys by identifier and places by column and row, never a value.
 */
public final class SecretCipher {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final RegistryKey current;
    private final RegistryKey previous;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param current the key that encrypts
     * @param previous a key that still decrypts, or null
     */
    public SecretCipher(RegistryKey current, RegistryKey previous) {
        this.current = Objects.requireNonNull(current, "current");
        this.previous = previous == null || previous.id().equals(current.id()) ? null : previous;
    }

    /** @param current the only key */
    public SecretCipher(RegistryKey current) {
        this(current, null);
    }

    /** @return the identifier of the key that encrypts */
    public String currentKeyId() {
        return current.id();
    }

    /** @return the previous key's identifier, if one is configured */
    public Optional<String> previousKeyId() {
        return Optional.ofNullable(previous).map(RegistryKey::id);
    }

    /**
     * @param keyId a row's key identifier
     * @return true when one of the configured keys has it
     */
    public boolean knows(String keyId) {
        return current.id().equals(keyId) || previous != null && previous.id().equals(keyId);
    }

    /**
     * @param plain a secret, or null
     * @param place where it is stored, e.g. {@code cdm_device/client_digest/<DevId>}
     * @return the encrypted text, or null for null
     */
    public String seal(String plain, String place) {
        if (plain == null) {
            return null;
        }
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.ENCRYPT_MODE, current.secretKey(), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(place.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot encrypt " + place + ": " + e.getClass().getSimpleName());
        }
    }

    /**
     * @param sealed the stored text, or null
     * @param keyId the identifier of the key the row records
     * @param place where it is stored (as given to {@link #seal})
     * @return the secret, or null for null
     * @throws StoreException when no configured key has {@code keyId}, or the value fails its check
     */
    public String open(String sealed, String keyId, String place) {
        if (sealed == null) {
            return null;
        }
        RegistryKey key = current.id().equals(keyId) ? current
                : previous != null && previous.id().equals(keyId) ? previous : null;
        if (key == null) {
            throw unknownKey(keyId, place);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw tampered(place);
        }
        if (bytes.length < IV_BYTES + TAG_BITS / 8) {
            throw tampered(place);
        }
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            c.updateAAD(place.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw tampered(place);
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot decrypt " + place + ": " + e.getClass().getSimpleName());
        }
    }

    /**
     * @param keyId a key identifier no configured key has
     * @param place the value that needs it
     * @return the error telling the operator which key is missing
     */
    public StoreException unknownKey(String keyId, String place) {
        return new StoreException("the secret " + place + " is encrypted with registry key " + keyId
                + ", but the configured key is " + current.id()
                + previousKeyId().map(p -> " (previous " + p + ")").orElse("")
                + ": configure that key's file (secrets.key.file, or secrets.key.previous.file while rotating; "
                + "docs/operator-guide.md, \"Credentials\")");
    }

    private static StoreException tampered(String place) {
        return new StoreException("the secret " + place + " fails its integrity check: it was changed in the "
                + "database or copied from another row");
    }

    @Override
    public String toString() {
        return "SecretCipher[current=" + current.id() + previousKeyId().map(p -> ", previous=" + p).orElse("") + "]";
    }
}

package org.cardinaldm.pkg.trust.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys a device trusts to sign packages, each pinned by the SHA-256 of its DER SubjectPublicKeyInfo
 * (the form of the card's {@code FumoPolicy.trustedSigners} and of the {@code trusted.signers} configuration).
 * Immutable; an empty set trusts nobody.
 */
public final class TrustedSigners {
    private static final TrustedSigners NONE = new TrustedSigners(Set.of());
    private final Set<String> hashes;

    private TrustedSigners(Set<String> hashes) {
        this.hashes = hashes;
    }

    /** @return the empty set: every package is refused with {@link Refusal#UNTRUSTED_SIGNER} */
    public static TrustedSigners none() {
        return NONE;
    }

    /**
     * @param sha256Hex SHA-256 values in hex (64 digits each, either case, {@code :} separators allowed)
     * @return the set
     * @throws IllegalArgumentException if a value is not a SHA-256 in hex
     */
    public static TrustedSigners ofHex(Collection<String> sha256Hex) {
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        TreeSet<String> set = new TreeSet<>();
        for (String h : sha256Hex) {
            set.add(normalize(h));
        }
        return new TrustedSigners(Set.copyOf(set));
    }

    /**
     * @param sha256Hex SHA-256 values in hex
     * @return the set
     * @throws IllegalArgumentException if a value is not a SHA-256 in hex
     */
    public static TrustedSigners ofHex(String... sha256Hex) {
        return ofHex(java.util.Arrays.asList(sha256Hex));
    }

    /**
     * @param sha256 raw SHA-256 values (32 bytes each), as the card's policy holds them
     * @return the set
     * @throws IllegalArgumentException if a value is not 32 bytes
     */
    public static TrustedSigners ofDigests(Collection<byte[]> sha256) {
        Objects.requireNonNull(sha256, "sha256");
        TreeSet<String> set = new TreeSet<>();
        for (byte[] d : sha256) {
            if (d == null || d.length != 32) {
                throw new IllegalArgumentException("A signer's SPKI SHA-256 has 32 bytes");
            }
            set.add(HexFormat.of().formatHex(d));
        }
        return new TrustedSigners(Set.copyOf(set));
    }

    /**
     * @param keys public keys (their {@code getEncoded()} is the DER SubjectPublicKeyInfo)
     * @return the set of their SPKI SHA-256
     */
    public static TrustedSigners ofKeys(Collection<? extends PublicKey> keys) {
        Objects.requireNonNull(keys, "keys");
        TreeSet<String> set = new TreeSet<>();
        for (PublicKey k : keys) {
            set.add(spkiSha256Hex(k));
        }
        return new TrustedSigners(Set.copyOf(set));
    }

    /**
     * @param key a public key
     * @return the SHA-256 of its DER SubjectPublicKeyInfo, lower-case hex: the value a trust list holds
     */
    public static String spkiSha256Hex(PublicKey key) {
        Objects.requireNonNull(key, "key");
        byte[] spki = key.getEncoded();
        if (spki == null) {
            throw new IllegalArgumentException("The key has no X.509 encoding");
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * @param sha256Hex a SHA-256 in hex
     * @return it in lower case without separators
     * @throws IllegalArgumentException if it is not 64 hex digits
     */
    public static String normalize(String sha256Hex) {
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        String h = sha256Hex.strip().replace(":", "").toLowerCase(Locale.ROOT);
        if (h.length() != 64 || !h.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException("Not a SHA-256 in hex (64 digits): '" + sha256Hex + "'");
        }
        return h;
    }

    /**
     * @param sha256Hex a signer's SPKI SHA-256 in lower-case hex
     * @return whether it is trusted
     */
    public boolean contains(String sha256Hex) {
        return hashes.contains(sha256Hex);
    }

    /**
     * @param other another set
     * @return the keys of both
     */
    public TrustedSigners union(TrustedSigners other) {
        TreeSet<String> set = new TreeSet<>(hashes);
        set.addAll(other.hashes);
        return new TrustedSigners(Set.copyOf(set));
    }

    /** @return the SPKI SHA-256 values, lower-case hex, unmodifiable */
    public Set<String> sha256Hex() {
        return hashes;
    }

    /** @return whether nobody is trusted */
    public boolean isEmpty() {
        return hashes.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedSigners t && hashes.equals(t.hashes);
    }

    @Override
    public int hashCode() {
        return hashes.hashCode();
    }

    @Override
    public String toString() {
        return "TrustedSigners" + new TreeSet<>(hashes);
    }
}

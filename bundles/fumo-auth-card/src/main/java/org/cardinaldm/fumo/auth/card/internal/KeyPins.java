package org.cardinaldm.fumo.auth.card.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The cards' FUMO authorisation keys, pinned at first use (trust on first use, per card id): the SHA-256 of each
 * card's authorisation key (SPKI, hex), in a properties file written atomically (temporary file, then rename). A
 * card that later presents another key under the same id is refused: a cloned or re-personalised card, or a card
 * whose policy file was altered. The issuer's re-personalisation of a card therefore needs the operator to remove
 * its line (documented in docs/fumo-card-authorisation.md). Thread-safe.
 */
final class KeyPins {
    private final Path file;

    KeyPins(Path file) {
        this.file = file;
    }

    /** The outcome of a check. */
    enum Pin { PINNED_NOW, MATCHES, DIFFERS }

    /**
     * @param cardId the card id (hex)
     * @param keySha256 the SHA-256 (hex) of the key the card's policy names
     * @return whether it was pinned now, matches the pin, or differs from it (refuse)
     */
    synchronized Pin check(String cardId, String keySha256) {
        Properties p = load();
        String pinned = p.getProperty(cardId);
        if (pinned == null) {
            p.setProperty(cardId, keySha256);
            store(p);
            return Pin.PINNED_NOW;
        }
        return pinned.equalsIgnoreCase(keySha256) ? Pin.MATCHES : Pin.DIFFERS;
    }

    /** @return the key pinned for a card, if any */
    synchronized Optional<String> pinned(String cardId) {
        return Optional.ofNullable(load().getProperty(cardId));
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the pinned card keys in " + file, e);
            }
        }
        return p;
    }

    private void store(Properties p) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".card-keys", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "FUMO authorisation keys of the cards, pinned at first use (card id = SHA-256 of the key)");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the pinned card keys in " + file, e);
        }
    }
}

package org.cardinaldm.smartcard.bootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 item 4: the card's budget of wrong package-0 digests, per sender, across restarts. */
class NotificationBudgetTest {
    private static final String SERVER = "udp:192.0.2.1";

    @TempDir
    Path dir;

    /** @return how many checks reach the card before the sender is refused */
    private static int checksAllowed(NotificationBudget b, String source, int tries) {
        int n = 0;
        for (int i = 0; i < tries && b.tryAcquire(source); i++) {
            b.failed(source);
            n++;
        }
        return n;
    }

    @Test
    void strangers_share_half_the_budget_and_a_proven_sender_keeps_the_other_half() {
        NotificationBudget b = new NotificationBudget(4);
        b.succeeded(SERVER);

        assertThat(checksAllowed(b, "udp:198.51.100.9", 100)).isEqualTo(2);
        assertThat(checksAllowed(b, "udp:198.51.100.10", 100)).as("another stranger").isZero();
        assertThat(b.tryAcquire(SERVER)).isTrue();
    }

    @Test
    void no_mix_of_senders_gets_more_wrong_digests_to_the_card_than_the_limit() {
        NotificationBudget b = new NotificationBudget(4);
        b.succeeded(SERVER);
        int total = checksAllowed(b, SERVER, 100);
        for (int i = 0; i < 100; i++) {
            total += checksAllowed(b, "udp:203.0.113." + i, 100);
        }

        assertThat(total).isEqualTo(4);
        assertThat(b.tryAcquire(SERVER)).isFalse();
    }

    @Test
    void a_server_that_proves_itself_fills_the_budget_again() {
        NotificationBudget b = new NotificationBudget(4);
        checksAllowed(b, "udp:198.51.100.9", 100);

        b.reset();

        assertThat(b.tryAcquire("udp:198.51.100.9")).isTrue();
    }

    @Test
    void the_budget_and_the_proven_senders_survive_a_restart() {
        Path file = dir.resolve("budgets.txt");
        NotificationBudgets before = new NotificationBudgets(file, 4);
        before.of("CARD-1").succeeded(SERVER);
        checksAllowed(before.of("CARD-1"), "udp:198.51.100.9", 100);

        NotificationBudgets after = new NotificationBudgets(file, 4);

        assertThat(after.of("CARD-1").tryAcquire("udp:198.51.100.9")).isFalse();
        assertThat(after.of("CARD-1").tryAcquire(SERVER)).isTrue();
        assertThat(after.of("CARD-1").failures()).isEqualTo(2);
        assertThat(after.of("CARD-2").tryAcquire("udp:198.51.100.9")).as("another card").isTrue();
    }

    @Test
    void the_file_is_for_its_owner_only() throws Exception {
        Path file = dir.resolve("budgets.txt");
        new NotificationBudgets(file, 4).of("CARD-1").failed("x");

        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void a_corrupt_file_is_moved_aside_and_every_budget_starts_full() throws Exception {
        Path file = dir.resolve("budgets.txt");
        Files.writeString(file, "cardinal-card-notification-budgets 1\nnot a line\n");

        NotificationBudgets b = new NotificationBudgets(file, 4);

        assertThat(b.of("CARD-1").failures()).isZero();
        assertThat(dir.resolve("budgets.txt.corrupt")).exists();
    }

    @Test
    void the_number_of_cards_remembered_is_bounded() throws Exception {
        Path file = dir.resolve("budgets.txt");
        NotificationBudgets b = new NotificationBudgets(file, 4);
        for (int i = 0; i < 200; i++) {
            b.of("CARD-" + i).failed("x");
        }

        assertThat(Files.readAllLines(file)).hasSizeLessThanOrEqualTo(1 + NotificationBudgets.MAX_CARDS);
    }
}

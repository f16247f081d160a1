package org.cardinaldm.smartcard.sim.internal.vpcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cross-JVM lock of a vpcd port (on a port no vpcd uses, so it never meets a real test's lock). */
@Timeout(20)
class VpcdPortLockTest {
    private static final int PORT = 1;

    @Test
    void a_held_port_is_not_given_twice_in_one_jvm_and_is_free_again_after_close() throws Exception {
        VpcdPortLock first = VpcdPortLock.acquire(PORT, Duration.ofSeconds(5));
        assertThat(VpcdPortLock.file(PORT)).exists();
        assertThatThrownBy(() -> VpcdPortLock.acquire(PORT, Duration.ofMillis(100))).isInstanceOf(IOException.class)
                .hasMessageContaining("in use by this JVM");
        first.close();
        VpcdPortLock.acquire(PORT, Duration.ofSeconds(5)).close();
    }

    @Test
    void a_port_whose_lock_file_is_held_elsewhere_is_not_given() throws Exception {
        // a file lock held through another channel stands for another process
        try (FileChannel other = FileChannel.open(VpcdPortLock.file(PORT), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock held = other.lock();
            assertThatThrownBy(() -> VpcdPortLock.acquire(PORT, Duration.ofMillis(200))).isInstanceOf(IOException.class);
            held.release();
        }
        VpcdPortLock.acquire(PORT, Duration.ofSeconds(5)).close();
    }
}

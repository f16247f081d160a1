package org.cardinaldm.smartcard.sim.internal.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;

import org.cardinaldm.smartcard.sim.internal.card.Uicc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotImageStoreTest {
    @TempDir
    Path dir;

    private static byte[] image(String text, int size) {
        byte[] b = Arrays.copyOf(text.getBytes(StandardCharsets.US_ASCII), size);
        new Random(text.hashCode()).nextBytes(Arrays.copyOfRange(b, text.length(), size));
        for (int i = text.length(); i < size; i++) {
            b[i] = (byte) (i * 31 + text.hashCode());
        }
        return b;
    }

    /** A writer that writes the first {@code limit} bytes and then loses power. */
    private static SlotImageStore.Writer tearingAfter(int limit, boolean garbageTail) {
        return (channel, data, position) -> {
            int n = Math.min(limit, data.remaining());
            ByteBuffer part = data.slice().limit(n);
            long p = position;
            while (part.hasRemaining()) {
                p += channel.write(part, p);
            }
            if (garbageTail && n < data.remaining()) {
                byte[] junk = new byte[Math.min(64, data.remaining() - n)];
                new Random(limit).nextBytes(junk);
                channel.write(ByteBuffer.wrap(junk), p);
            }
            throw new Uicc.CardPowerLostException("power lost after " + n + " bytes");
        };
    }

    @Test
    void a_missing_file_loads_as_empty_and_the_first_save_creates_it() throws IOException {
        Path file = dir.resolve("card.img");
        try (SlotImageStore store = new SlotImageStore(file)) {
            assertThat(store.load()).isEmpty();
            store.save(image("one", 100));
            assertThat(store.generation()).isEqualTo(1);
        }
        try (SlotImageStore store = new SlotImageStore(file)) {
            assertThat(store.load()).hasValueSatisfying(b -> assertThat(b).isEqualTo(image("one", 100)));
            assertThat(store.generation()).isEqualTo(1);
        }
    }

    @Test
    void the_folders_it_creates_and_its_files_are_owner_only_whatever_the_umask() throws IOException {
        Path file = dir.resolve("data/cardinal/smartcard/card.img");
        try (SlotImageStore store = new SlotImageStore(file)) {
            store.save(new byte[] {1, 2, 3});
        }
        for (Path d : new Path[] {dir.resolve("data"), dir.resolve("data/cardinal"), file.getParent()}) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(d)))
                    .as(d.toString()).isEqualTo("rwx------");
        }
        for (Path f : new Path[] {file, file.resolveSibling("card.img.lock")}) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                    .as(f.toString()).isEqualTo("rw-------");
        }
    }

    @Test
    void saves_alternate_slots_and_the_newest_generation_wins() throws IOException {
        Path file = dir.resolve("card.img");
        try (SlotImageStore store = new SlotImageStore(file)) {
            store.load();
            for (int i = 1; i <= 7; i++) {
                store.save(image("gen" + i, 500));
            }
            assertThat(store.generation()).isEqualTo(7);
        }
        long size = Files.size(file);
        try (SlotImageStore store = new SlotImageStore(file)) {
            assertThat(store.load()).hasValueSatisfying(b -> assertThat(b).isEqualTo(image("gen7", 500)));
            store.save(image("gen8", 500));
        }
        assertThat(Files.size(file)).isEqualTo(size); // slots are rewritten in place
    }

    @Test
    void a_write_torn_at_any_byte_leaves_the_old_or_the_new_image() throws IOException {
        byte[] old = image("old", 300);
        byte[] fresh = image("new", 300);
        int slotLength = SlotImageStore.SLOT_OVERHEAD + fresh.length;
        int sawOld = 0;
        int sawNew = 0;
        for (int limit = 0; limit <= slotLength; limit++) {
            for (boolean garbage : new boolean[] {false, true}) {
                Path file = dir.resolve("tear-" + limit + "-" + garbage + ".img");
                try (SlotImageStore store = new SlotImageStore(file, SlotImageStore.FULL_WRITE, false)) {
                    store.load();
                    store.save(image("older", 300));
                    store.save(old);
                }
                try (SlotImageStore torn = new SlotImageStore(file, tearingAfter(limit, garbage), false)) {
                    torn.load();
                    assertThatThrownBy(() -> torn.save(fresh)).isInstanceOf(Uicc.CardPowerLostException.class);
                }
                try (SlotImageStore store = new SlotImageStore(file, SlotImageStore.FULL_WRITE, false)) {
                    byte[] loaded = store.load().orElseThrow();
                    if (Arrays.equals(loaded, fresh)) {
                        sawNew++;
                    } else {
                        assertThat(loaded).as("torn after %d bytes", limit).isEqualTo(old);
                        sawOld++;
                    }
                    // and the card goes on working from there
                    store.save(image("after", 300));
                    assertThat(store.load()).hasValueSatisfying(b -> assertThat(b).isEqualTo(image("after", 300)));
                }
            }
        }
        assertThat(sawOld).isGreaterThan(0);
        assertThat(sawNew).isEqualTo(2); // only a complete slot counts
    }

    @Test
    void growing_the_file_is_tear_safe_too() throws IOException {
        Path file = dir.resolve("grow.img");
        byte[] small = image("small", 100);
        try (SlotImageStore store = new SlotImageStore(file)) {
            store.load();
            store.save(small);
        }
        byte[] big = image("big", 10_000); // does not fit the first capacity: the file is rewritten
        for (int limit : new int[] {0, 10, 64, 5000, 20_000}) {
            try (SlotImageStore torn = new SlotImageStore(file, tearingAfter(limit, true), true)) {
                torn.load();
                assertThatThrownBy(() -> torn.save(big)).isInstanceOf(Uicc.CardPowerLostException.class);
            }
            try (SlotImageStore store = new SlotImageStore(file)) {
                assertThat(store.load()).hasValueSatisfying(b -> assertThat(b).isEqualTo(small));
            }
        }
        try (SlotImageStore store = new SlotImageStore(file)) {
            store.load();
            store.save(big);
            store.save(image("big2", 10_000));
        }
        try (SlotImageStore store = new SlotImageStore(file)) {
            assertThat(store.load()).hasValueSatisfying(b -> assertThat(b).isEqualTo(image("big2", 10_000)));
            assertThat(store.generation()).isEqualTo(3);
        }
    }

    @Test
    void a_file_with_no_valid_slot_or_header_is_refused() throws IOException {
        Path file = dir.resolve("bad.img");
        try (SlotImageStore store = new SlotImageStore(file)) {
            store.load();
            store.save(image("a", 50));
            store.save(image("b", 50));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), SlotImageStore.HEADER_SIZE + 30);
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), SlotImageStore.HEADER_SIZE + 4096 + 30);
        }
        try (SlotImageStore store = new SlotImageStore(file)) {
            assertThatThrownBy(store::load).isInstanceOf(IOException.class).hasMessageContaining("no valid slot");
        }
        Files.write(file, new byte[] {'x'});
        try (SlotImageStore store = new SlotImageStore(file)) {
            assertThatThrownBy(store::load).isInstanceOf(IOException.class);
        }
    }

    @Test
    void two_stores_cannot_share_an_image() throws IOException {
        Path file = dir.resolve("shared.img");
        try (SlotImageStore first = new SlotImageStore(file)) {
            assertThat(first.file()).isEqualTo(file.toAbsolutePath());
            assertThatThrownBy(() -> new SlotImageStore(file)).isInstanceOf(IOException.class)
                    .hasMessageContaining("in use");
        }
        try (SlotImageStore again = new SlotImageStore(file)) {
            assertThat(again.load()).isEmpty();
        }
    }

    @Test
    void new_images_are_readable_by_the_owner_only() throws IOException {
        Path file = dir.resolve("secret.img");
        try (SlotImageStore store = new SlotImageStore(file)) {
            store.load();
            store.save(image("x", 10));
        }
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
}

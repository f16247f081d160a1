package org.cardinaldm.smartcard.sim.internal.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.spi.BackendObserver;
import org.cardinaldm.smartcard.api.spi.CardConnection;
import org.cardinaldm.smartcard.sim.internal.card.CardTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

class SimCardBackendTest {
    @TempDir
    Path dir;

    private SimCardBackend backend(Map<String, Object> props) throws Exception {
        return new SimCardBackend(Converters.standardConverter().convert(props).to(SimCardBackend.Config.class));
    }

    private Path profile() throws Exception {
        Path p = dir.resolve("test.profile");
        Files.writeString(p, CardTester.testProfileText());
        return p;
    }

    @Test
    void a_configured_card_is_present_with_its_atr() throws Exception {
        SimCardBackend b = backend(Map.of("card.reader", "Sim A", "image.file", dir.resolve("a.img").toString()));
        try {
            ReaderStatus s = b.status();
            assertThat(s.reader()).isEqualTo("Sim A");
            assertThat(s.backend()).isEqualTo("sim");
            assertThat(s.state()).isEqualTo(CardState.PRESENT);
            assertThat(s.atrHex()).startsWith("3B87");
            try (CardConnection c = b.connect()) {
                assertThat(c.protocol()).isEqualTo("T=1");
                assertThat(c.transmit(CommandApdu.of(0, 0xA4, 0x04, 0x0C,
                        HexFormat.of().parseHex("A000000063504B43532D3135"))).sw()).isEqualTo(0x9000);
            }
        } finally {
            b.close();
        }
        assertThat(Files.exists(dir.resolve("a.img"))).isTrue();
    }

    @Test
    void insert_and_remove_are_reported_to_observers() throws Exception {
        SimCardBackend b = backend(Map.of("card.reader", "Sim B", "image.file", "", "inserted", false));
        List<ReaderStatus> seen = new CopyOnWriteArrayList<>();
        BackendObserver o = (backend, status) -> seen.add(status);
        b.addObserver(o);
        b.addObserver(o);
        assertThat(b.status().state()).isEqualTo(CardState.ABSENT);
        assertThatThrownBy(b::connect).isInstanceOfSatisfying(SmartCardException.class,
                e -> assertThat(e.code()).isEqualTo(SmartCardException.Code.CARD_ABSENT));
        b.insert();
        b.insert();
        b.remove();
        b.removeObserver(o);
        b.insert();
        assertThat(seen).extracting(ReaderStatus::state).containsExactly(CardState.PRESENT, CardState.ABSENT);
        b.close();
    }

    @Test
    void a_connection_dies_with_the_card_it_was_opened_on() throws Exception {
        SimCardBackend b = backend(Map.of("card.reader", "Sim C", "image.file", ""));
        CardConnection c = b.connect();
        b.remove();
        assertThatThrownBy(() -> c.transmit(CommandApdu.of(0, 0xA4, 0, 0x0C)))
                .isInstanceOfSatisfying(SmartCardException.class,
                        e -> assertThat(e.code()).isEqualTo(SmartCardException.Code.CARD_REMOVED));
        b.insert();
        assertThatThrownBy(() -> c.transmit(CommandApdu.of(0, 0xA4, 0, 0x0C)))
                .isInstanceOfSatisfying(SmartCardException.class,
                        e -> assertThat(e.code()).isEqualTo(SmartCardException.Code.CARD_REMOVED));
        c.close();
        assertThatThrownBy(() -> c.transmit(CommandApdu.of(0, 0xA4, 0, 0x0C)))
                .isInstanceOfSatisfying(SmartCardException.class,
                        e -> assertThat(e.code()).isEqualTo(SmartCardException.Code.SESSION_CLOSED));
        b.close();
    }

    @Test
    void removal_loses_the_security_state() throws Exception {
        SimCardBackend b = backend(Map.of("card.reader", "Sim D", "image.file", "", "profile.file", profile().toString()));
        try (CardConnection c = b.connect()) {
            assertThat(c.transmit(CommandApdu.parse(CardTester.hex("0020000108" + CardTester.pin("1234")))).sw())
                    .isEqualTo(0x9000);
        }
        b.remove();
        b.insert();
        try (CardConnection c = b.connect()) {
            assertThat(c.transmit(CommandApdu.parse(CardTester.hex("00200001"))).sw()).isEqualTo(0x63C3);
        }
        b.close();
    }

    @Test
    void the_card_keeps_its_contents_across_restarts_unless_personalised_again() throws Exception {
        Map<String, Object> props = Map.of("card.reader", "Sim E", "image.file", dir.resolve("e.img").toString(),
                "profile.file", profile().toString());
        SimCardBackend first = backend(props);
        try (CardConnection c = first.connect()) {
            c.transmit(CommandApdu.parse(CardTester.hex("00A4000C020001")));
            assertThat(c.transmit(CommandApdu.parse(CardTester.hex("00D6000002CAFE"))).sw()).isEqualTo(0x9000);
        }
        first.close();
        SimCardBackend second = backend(props);
        try (CardConnection c = second.connect()) {
            c.transmit(CommandApdu.parse(CardTester.hex("00A4000C020001")));
            assertThat(c.transmit(CommandApdu.parse(CardTester.hex("00B0000002"))).data()).containsExactly(0xCA, 0xFE);
        }
        second.close();
        Map<String, Object> again = new java.util.HashMap<>(props);
        again.put("personalize", "always");
        SimCardBackend third = backend(again);
        try (CardConnection c = third.connect()) {
            c.transmit(CommandApdu.parse(CardTester.hex("00A4000C020001")));
            assertThat(c.transmit(CommandApdu.parse(CardTester.hex("00B0000002"))).data()).containsExactly('h', 'e');
        }
        third.close();
    }

    @Test
    void two_readers_cannot_share_one_image_and_bad_settings_fail_activation() throws Exception {
        Map<String, Object> props = Map.of("card.reader", "Sim F", "image.file", dir.resolve("f.img").toString());
        SimCardBackend first = backend(props);
        assertThatThrownBy(() -> backend(Map.of("card.reader", "Sim G", "image.file", dir.resolve("f.img").toString())))
                .hasMessageContaining("in use");
        first.close();
        assertThatThrownBy(() -> backend(Map.of("card.reader", "Sim H", "image.file", "", "personalize", "never")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend(Map.of("card.reader", " ", "image.file", "")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int sw(CardConnection c, String apdu) throws SmartCardException {
        return c.transmit(CommandApdu.parse(CardTester.hex(apdu))).sw();
    }

    @Test
    void personalising_a_present_card_writes_the_profile_and_reinserts_the_card() throws Exception {
        SimCardBackend b = backend(Map.of("card.reader", "Sim P", "image.file", dir.resolve("p.img").toString()));
        List<ReaderStatus> seen = new CopyOnWriteArrayList<>();
        b.addObserver((backend, status) -> seen.add(status));
        CardConnection before = b.connect();
        assertThat(sw(before, "00A4000C020001")).as("the demo card has no EF 0001").isEqualTo(0x6A82);
        assertThat(b.reader()).isEqualTo("Sim P");
        assertThat(b.connection()).isEqualTo("sim");

        b.personalize(profile());

        assertThat(seen).extracting(ReaderStatus::state).containsExactly(CardState.ABSENT, CardState.PRESENT);
        assertThatThrownBy(() -> sw(before, "00A4000C023F00")).as("a connection to the old card ends")
                .isInstanceOfSatisfying(SmartCardException.class,
                        e -> assertThat(e.code()).isEqualTo(SmartCardException.Code.CARD_REMOVED));
        try (CardConnection c = b.connect()) {
            assertThat(sw(c, "00A4000C020001")).isEqualTo(0x9000);
            assertThat(c.transmit(CommandApdu.parse(CardTester.hex("00B0000005"))).data()).containsExactly("hello".getBytes());
        }
        b.close();
        // the new image is what the card keeps: a restart (if-absent) loads it, not the demo profile
        SimCardBackend again = backend(Map.of("card.reader", "Sim P", "image.file", dir.resolve("p.img").toString()));
        try (CardConnection c = again.connect()) {
            assertThat(sw(c, "00A4000C020001")).isEqualTo(0x9000);
        }
        again.personalizeDemo();
        try (CardConnection c = again.connect()) {
            assertThat(sw(c, "00A4000C020001")).isEqualTo(0x6A82);
            assertThat(sw(c, "00A4040C0CA000000063504B43532D3135")).isEqualTo(0x9000);
        }
        again.close();
    }

    @Test
    void an_invalid_profile_is_refused_with_its_line_and_the_card_is_untouched() throws Exception {
        SimCardBackend b = backend(Map.of("card.reader", "Sim Q", "image.file", ""));
        List<ReaderStatus> seen = new CopyOnWriteArrayList<>();
        b.addObserver((backend, status) -> seen.add(status));
        Path bad = dir.resolve("bad.profile");
        Files.writeString(bad, "cardinal-uicc-profile 1\npin 01 value=12 retries=3\n");

        assertThatThrownBy(() -> b.personalize(bad))
                .isInstanceOfSatisfying(org.cardinaldm.smartcard.sim.api.PersonalizationException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("line 2").doesNotContain("value=12");
                });
        assertThatThrownBy(() -> b.personalize(dir.resolve("missing.profile"))).isInstanceOf(java.io.IOException.class);

        assertThat(seen).isEmpty();
        try (CardConnection c = b.connect()) {
            assertThat(sw(c, "00A4040C0CA000000063504B43532D3135")).isEqualTo(0x9000);
        }
        b.close();
    }

    @Test
    void personalising_an_absent_card_writes_it_and_leaves_it_out() throws Exception {
        SimCardBackend b = backend(Map.of("card.reader", "Sim R", "image.file", "", "inserted", false));
        List<ReaderStatus> seen = new CopyOnWriteArrayList<>();
        b.addObserver((backend, status) -> seen.add(status));

        b.personalize(profile());

        assertThat(seen).isEmpty();
        assertThat(b.status().state()).isEqualTo(CardState.ABSENT);
        b.insert();
        try (CardConnection c = b.connect()) {
            assertThat(sw(c, "00A4000C020001")).as("a volatile card keeps the new image").isEqualTo(0x9000);
        }
        b.close();
    }
}

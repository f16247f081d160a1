package org.cardinaldm.smartcard.sim.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.smartcard.api.CardEvent;
import org.cardinaldm.smartcard.api.CardListener;
import org.cardinaldm.smartcard.api.CardService;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.core.internal.CardServiceImpl;
import org.cardinaldm.smartcard.sim.api.PersonalizationException;
import org.cardinaldm.smartcard.sim.api.SimulatedCard;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.backend.SimCardBackend;
import org.cardinaldm.stacktest.card.CardStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cardsim:personalize: on mocked services (refusals), and on a real in-JVM software card behind the card service. */
class PersonalizeCommandTest {
    private static final String PROFILE = String.join("\n",
            "cardinal-uicc-profile 1",
            "card protocol=T=1 channels=4",
            "mf {",
            "  ef 0001 transparent size=16 read=always update=always {",
            "    data text \"personalised\"",
            "  }",
            "}",
            "");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final CardService service = mock(CardService.class);
    private final SimulatedCard sim = mock(SimulatedCard.class);

    private PersonalizeCommand command(String reader, String profile, boolean demo) {
        when(sim.reader()).thenReturn("Sim 0");
        PersonalizeCommand c = new PersonalizeCommand();
        c.cards = service;
        c.simulated = List.of(sim);
        c.reader = reader;
        c.profile = profile;
        c.demo = demo;
        c.out = out;
        return c;
    }

    private Path profile(String text) throws Exception {
        Path p = dir.resolve("card.profile");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void a_profile_file_is_written_to_the_simulated_card_of_that_reader() throws Exception {
        Path p = profile(PROFILE);
        command("Sim 0", p.toString(), false).execute();
        verify(sim).personalize(p.toAbsolutePath().normalize());
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Personalised the card in 'Sim 0' from " + p);
    }

    @Test
    void demo_writes_the_built_in_demo_profile() throws Exception {
        command("Sim 0", null, true).execute();
        verify(sim).personalizeDemo();
        verify(sim, never()).personalize(any());
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("built-in demo profile");
    }

    @Test
    void demo_may_follow_the_reader_as_karaf_passes_it_then_as_an_argument() throws Exception {
        command("Sim 0", "--demo", false).execute();
        verify(sim).personalizeDemo();
        assertThatThrownBy(() -> command("Sim 0", "--demo", true).execute()).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("Give either a profile file or --demo");
    }

    @Test
    void a_reader_of_another_backend_is_refused_and_nothing_is_written() throws Exception {
        when(service.reader("Virtual PCD 00 01")).thenReturn(
                Optional.of(ReaderStatus.of("Virtual PCD 00 01", "pcsc", CardState.PRESENT, new byte[] {0x3B, 0})));
        assertThatThrownBy(() -> command("Virtual PCD 00 01", null, true).execute())
                .isInstanceOf(CommandException.class)
                .hasMessage("'Virtual PCD 00 01' is a pcsc reader without Cardinal's software card: cardsim:personalize"
                        + " writes only to simulated cards ('Sim 0').");
        verify(sim, never()).personalizeDemo();
    }

    @Test
    void an_unknown_reader_and_a_missing_simulator_are_explained() {
        when(service.reader(any())).thenReturn(Optional.empty());
        assertThatThrownBy(() -> command("Nowhere", null, true).execute()).isInstanceOf(CommandException.class)
                .hasMessage("No simulated card in a reader named 'Nowhere'; simulated cards: 'Sim 0'.");
        PersonalizeCommand c = command("Sim 0", null, true);
        c.simulated = null;
        c.cards = null;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("install the feature cardinal-smartcard-sim");
    }

    @Test
    void exactly_one_of_a_profile_file_and_demo_is_needed() throws Exception {
        assertThatThrownBy(() -> command("Sim 0", null, false).execute()).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("Give either a profile file or --demo");
        Path p = profile(PROFILE);
        assertThatThrownBy(() -> command("Sim 0", p.toString(), true).execute()).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("Give either a profile file or --demo");
        assertThatThrownBy(() -> command("Sim 0", dir.resolve("none.profile").toString(), false).execute())
                .isInstanceOf(CommandException.class).hasMessageStartingWith("No readable profile file at ");
        verify(sim, never()).personalize(any());
        verify(sim, never()).personalizeDemo();
    }

    @Test
    void an_invalid_profile_is_reported_with_its_line_and_an_io_failure_too() throws Exception {
        Path p = profile(PROFILE);
        doThrow(new PersonalizationException(3, "profile line 3: 'mf' needs '{'")).when(sim).personalize(any());
        assertThatThrownBy(() -> command("Sim 0", p.toString(), false).execute()).isInstanceOf(CommandException.class)
                .hasMessage("The profile is invalid (profile line 3: 'mf' needs '{'); the card was not changed.");
        doThrow(new java.io.IOException("disk full")).when(sim).personalizeDemo();
        assertThatThrownBy(() -> command("Sim 0", null, true).execute()).isInstanceOf(CommandException.class)
                .hasMessage("Could not personalise the card in 'Sim 0': disk full");
    }

    @Test
    void the_real_software_card_is_written_taken_out_and_inserted_again() throws Exception {
        BlockingQueue<CardEvent> events = new LinkedBlockingQueue<>();
        CardListener listener = events::add;
        try (CardStack stack = CardStack.inJvm().start()) {
            CardServiceImpl cards = stack.cards();
            stack.insert(SimCardHandle.open(dir.resolve("sim.img"), null, SimCardHandle.Personalize.IF_ABSENT));
            SimCardBackend backend = stack.simBackend();
            cards.addListener(listener, Map.of());
            assertThat(events.poll(10, TimeUnit.SECONDS).type()).isEqualTo(CardEvent.Type.READER_ADDED);
            assertThat(events.poll(10, TimeUnit.SECONDS).type()).isEqualTo(CardEvent.Type.CARD_INSERTED);
            PersonalizeCommand c = new PersonalizeCommand();
            c.cards = cards;
            c.simulated = List.of(backend);
            c.reader = "Sim 0";
            c.profile = profile(PROFILE).toString();
            c.out = out;

            c.execute();

            assertThat(events.poll(10, TimeUnit.SECONDS).type()).isEqualTo(CardEvent.Type.CARD_REMOVED);
            assertThat(events.poll(10, TimeUnit.SECONDS).type()).isEqualTo(CardEvent.Type.CARD_INSERTED);
            try (CardSession s = cards.openSession("Sim 0")) {
                assertThat(s.basicChannel().transmit(CommandApdu.parse(HexFormat.of().parseHex("00A4000C020001"))).sw())
                        .isEqualTo(0x9000);
                assertThat(new String(s.basicChannel().transmit(CommandApdu.parse(HexFormat.of().parseHex("00B000000C")))
                        .data(), StandardCharsets.US_ASCII)).isEqualTo("personalised");
            }
            cards.removeListener(listener, Map.of());
        }
    }
}

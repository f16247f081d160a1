package org.cardinaldm.fumo.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.fumo.api.FumoHistoryEntry;
import org.cardinaldm.fumo.api.FumoService;
import org.cardinaldm.fumo.api.FumoState;
import org.cardinaldm.fumo.api.FumoStatus;
import org.junit.jupiter.api.Test;

class FumoCommandsTest {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    private final List<String> requests = new ArrayList<>();

    private final FumoService fumo = new FumoService() {
        @Override
        public List<FumoStatus> instances() {
            return List.of(new FumoStatus("Gateway", "./FUMO/Gateway", FumoState.DOWNLOAD_PROGRESSING, "gateway",
                    "2.0.0", "1.0.0", 512 * 1024, 2 * 1024 * 1024, OptionalInt.of(200), Instant.EPOCH));
        }

        @Override
        public List<FumoHistoryEntry> history(int max) {
            return List.of(new FumoHistoryEntry("Gateway", "DownloadAndUpdate", "srv1", "gateway", "0.9", "1.0.0",
                    200, "updated", Instant.EPOCH, Instant.EPOCH));
        }

        @Override
        public void requestUpdate(String instance, String serverId, boolean byUser) {
            if (!instance.equals("Gateway")) {
                throw new IllegalArgumentException("No FUMO instance " + instance);
            }
            requests.add(instance + " " + serverId + " " + byUser);
        }
    };

    private String text() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void status_shows_state_versions_and_a_progress_bar() throws Exception {
        StatusCommand c = new StatusCommand();
        c.fumo = fumo;
        c.print(out);
        assertThat(text()).contains("Gateway", "30 Download progressing", "1.0.0", "gateway 2.0.0",
                "[#######-----------------------]  25% 512.0 KiB of 2.0 MiB", "200");
    }

    @Test
    void the_progress_bar_is_empty_at_zero_full_at_the_end_and_bytes_only_without_a_length() {
        FumoStatus s0 = new FumoStatus("G", "./FUMO/G", FumoState.DOWNLOAD_PROGRESSING, "", "", "", 0, 100,
                OptionalInt.empty(), Instant.EPOCH);
        FumoStatus s1 = new FumoStatus("G", "./FUMO/G", FumoState.DOWNLOAD_COMPLETE, "", "", "", 100, 100,
                OptionalInt.empty(), Instant.EPOCH);
        FumoStatus unknown = new FumoStatus("G", "./FUMO/G", FumoState.DOWNLOAD_PROGRESSING, "", "", "", 2048, -1,
                OptionalInt.empty(), Instant.EPOCH);
        assertThat(Formats.progress(s0)).startsWith("[" + "-".repeat(Formats.BAR) + "]   0%");
        assertThat(Formats.progress(s1)).startsWith("[" + "#".repeat(Formats.BAR) + "] 100%");
        assertThat(Formats.progress(unknown)).isEqualTo("2.0 KiB");
    }

    @Test
    void history_lists_the_entries_and_refuses_a_bad_max() throws Exception {
        HistoryCommand c = new HistoryCommand();
        c.fumo = fumo;
        c.print(out);
        assertThat(text()).contains("DownloadAndUpdate", "srv1", "0.9", "1.0.0", "200", "updated");
        c.max = 0;
        assertThatThrownBy(() -> c.print(out)).isInstanceOf(CommandException.class).hasMessageContaining("--max");
    }

    @Test
    void request_asks_the_service_and_reports_a_user_error_in_one_line() throws Exception {
        RequestCommand c = new RequestCommand();
        c.fumo = fumo;
        c.instance = "Gateway";
        c.server = "srv1";
        c.run(out);
        c.device = true;
        c.run(out);
        assertThat(requests).containsExactly("Gateway srv1 true", "Gateway srv1 false");
        c.instance = "Nope";
        assertThatThrownBy(() -> c.run(out)).isInstanceOf(CommandException.class).hasMessage("No FUMO instance Nope");
    }

    @Test
    void without_fumo_every_command_says_how_to_install_it() {
        assertThatThrownBy(() -> new StatusCommand().print(out)).hasMessageContaining("feature:install cardinal-fumo");
        assertThatThrownBy(() -> new HistoryCommand().print(out)).hasMessageContaining("cardinal-fumo");
        assertThatThrownBy(() -> new RequestCommand().run(out)).hasMessageContaining("cardinal-fumo");
    }
}

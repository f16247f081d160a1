package org.cardinaldm.server.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.CampaignState;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.fumo.server.api.WaveSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code dms:fumo-*} and {@code dms:device-tag} commands on fakes of their services. */
class FumoCommandsTest {
    private final FumoFakes.Campaigns campaigns = new FumoFakes.Campaigns();
    private final FumoFakes.Tags tagService = new FumoFakes.Tags();
    private final FumoFakes.Catalog catalog = new FumoFakes.Catalog();
    private final FumoFakes.Out out = new FumoFakes.Out();

    @TempDir
    Path dir;

    private FumoCampaignCreateCommand create(String name, String pkg) {
        FumoCampaignCreateCommand c = new FumoCampaignCreateCommand();
        c.campaigns = campaigns;
        c.out = out.stream;
        c.name = name;
        c.pkg = pkg;
        return c;
    }

    private <T extends CampaignActionCommand> T action(T c, long id) {
        c.campaigns = campaigns;
        c.out = out.stream;
        c.id = id;
        return c;
    }

    private DeviceTagCommand tag(String deviceId, boolean remove, String... tags) {
        DeviceTagCommand c = new DeviceTagCommand();
        c.deviceTags = tagService;
        c.out = out.stream;
        c.deviceId = deviceId;
        c.tags = tags.length == 0 ? null : List.of(tags);
        c.remove = remove;
        return c;
    }

    private static CampaignDevice row(String id, DeviceUpdateState s, Long job, Integer code, String detail) {
        return new CampaignDevice(1, id, 0, s, job, code, detail, null, FumoFakes.T);
    }

    @Test
    void every_command_without_its_service_says_what_to_install() {
        FumoCampaignCreateCommand create = create("x", "fw-2.bin");
        create.campaigns = null;
        FumoCampaignStartCommand start = action(new FumoCampaignStartCommand(), 1);
        start.campaigns = null;
        FumoCampaignListCommand list = new FumoCampaignListCommand();
        FumoCampaignShowCommand show = new FumoCampaignShowCommand();
        DeviceTagCommand tag = tag("IMEI:1", false);
        tag.deviceTags = null;
        for (org.apache.karaf.shell.api.action.Action a : List.of(create, start, list, show, tag)) {
            assertThatThrownBy(a::execute).as(a.getClass().getSimpleName()).isInstanceOf(CommandException.class)
                    .hasMessageContaining("Firmware campaigns are not installed");
        }
        assertThatThrownBy(new FumoPackagesCommand()::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("package catalogue is not running");
        assertThatThrownBy(new FumoPublishCommand()::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("package catalogue is not running");
    }

    @Test
    void create_builds_the_spec_from_the_options_and_names_the_rollback_refusals() throws Exception {
        campaigns.rollbackRefused = 1;
        FumoCampaignCreateCommand c = create("gw 2.0", "fw-2.bin");
        c.model = "GW-1";
        c.firmwareVersion = "1.0";
        c.card = "yes";
        c.tags = List.of("lab", "eu");
        c.waves = "1,50%";
        c.success = 90;
        c.error = 5;
        c.window = "Mon-Fri 22:00-05:00 UTC";
        c.instance = "Modem";
        c.consent = true;
        c.execute();
        assertThat(campaigns.created.filter().model()).isEqualTo("GW-1");
        assertThat(campaigns.created.filter().firmwareVersion()).isEqualTo("1.0");
        assertThat(campaigns.created.filter().cardPresent()).isTrue();
        assertThat(campaigns.created.filter().tags()).containsExactlyInAnyOrder("lab", "eu");
        assertThat(campaigns.created.waves()).isEqualTo(WaveSize.parseList("1,50%"));
        assertThat(campaigns.created.successThreshold()).isEqualTo(90);
        assertThat(campaigns.created.errorThreshold()).isEqualTo(5);
        assertThat(campaigns.created.window()).isNotNull();
        assertThat(campaigns.created.fumoInstance()).isEqualTo("Modem");
        assertThat(campaigns.created.consent()).isTrue();
        assertThat(out.text()).isEqualTo("Campaign 1 created: 2 devices in 1 waves [2], 1 rollback refused; start it "
                + "with dms:fumo-campaign-start 1" + System.lineSeparator());
    }

    @Test
    void create_turns_every_operator_error_into_one_sentence_and_creates_nothing() {
        FumoCampaignCreateCommand badCard = create("x", "fw-2.bin");
        badCard.card = "maybe";
        assertThatThrownBy(badCard::execute).isInstanceOf(CommandException.class).hasMessage("--card is yes or no");
        FumoCampaignCreateCommand badThreshold = create("x", "fw-2.bin");
        badThreshold.error = 101;
        assertThatThrownBy(badThreshold::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("thresholds are percentages");
        FumoCampaignCreateCommand badWaves = create("x", "fw-2.bin");
        badWaves.waves = "ten";
        assertThatThrownBy(badWaves::execute).isInstanceOf(CommandException.class);
        FumoCampaignCreateCommand badWindow = create("x", "fw-2.bin");
        badWindow.window = "whenever";
        assertThatThrownBy(badWindow::execute).isInstanceOf(CommandException.class);
        FumoCampaignCreateCommand badName = create("tab\there", "fw-2.bin");
        assertThatThrownBy(badName::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("printable characters");
        assertThat(campaigns.calls).isEmpty();

        FumoCampaignCreateCommand unknown = create("x", "nope.bin");
        assertThatThrownBy(unknown::execute).isInstanceOf(CommandException.class)
                .hasMessage("no published package nope.bin");
        assertThat(campaigns.campaigns).isEmpty();
    }

    @Test
    void a_dry_run_lists_the_chosen_devices_and_creates_nothing() throws Exception {
        FumoCampaignCreateCommand c = create("x", "fw-2.bin");
        c.deviceIds = List.of("IMEI:1", "IMEI:2");
        c.dryRun = true;
        c.execute();
        assertThat(out.text()).contains("IMEI:1").contains("IMEI:2").contains("2 devices match");
        assertThat(campaigns.calls).hasSize(1).allMatch(s -> s.startsWith("preview"));
        assertThat(campaigns.campaigns).isEmpty();
    }

    @Test
    void start_pause_resume_and_cancel_call_their_action_and_print_the_new_state() throws Exception {
        campaigns.add(1, CampaignState.CREATED, null, List.of(row("IMEI:1", DeviceUpdateState.QUEUED, null, null,
                null)));
        action(new FumoCampaignStartCommand(), 1).execute();
        action(new FumoCampaignPauseCommand(), 1).execute();
        action(new FumoCampaignResumeCommand(), 1).execute();
        action(new FumoCampaignCancelCommand(), 1).execute();
        assertThat(campaigns.calls).containsExactly("start 1", "pause 1", "resume 1", "cancel 1");
        assertThat(out.text().lines()).containsExactly("Campaign 1 is running",
                "Campaign 1 is paused (paused by an operator)", "Campaign 1 is running",
                "Campaign 1 is cancelled (cancelled by an operator)");
    }

    @Test
    void an_action_in_the_wrong_state_or_on_an_unknown_campaign_is_one_sentence() {
        campaigns.add(1, CampaignState.FINISHED, "done", List.of());
        assertThatThrownBy(action(new FumoCampaignPauseCommand(), 1)::execute).isInstanceOf(CommandException.class)
                .hasMessage("campaign 1 is finished");
        assertThatThrownBy(action(new FumoCampaignStartCommand(), 7)::execute).isInstanceOf(CommandException.class)
                .hasMessage("no campaign 7");
        assertThat(campaigns.campaign(1).orElseThrow().state()).isEqualTo(CampaignState.FINISHED);
    }

    @Test
    void list_and_show_print_progress_and_each_devices_state_and_result() throws Exception {
        campaigns.add(1, CampaignState.PAUSED, "error threshold: 1 of 2 devices of wave 1 failed", List.of(
                row("IMEI:1", DeviceUpdateState.FAILED, 11L, 410, "410 firmware update failed " + "x".repeat(200)),
                row("IMEI:2", DeviceUpdateState.DOWNLOADING, 12L, null, "FUMO State 30")));
        FumoCampaignListCommand list = new FumoCampaignListCommand();
        list.campaigns = campaigns;
        list.out = out.stream;
        list.execute();
        assertThat(out.text()).contains("wave test").contains("fw-2.bin").contains("paused").contains("1/1")
                .contains("50.0%");

        FumoCampaignShowCommand show = new FumoCampaignShowCommand();
        show.campaigns = campaigns;
        show.out = out.stream;
        show.id = 1;
        show.execute();
        String text = out.text();
        assertThat(text).contains("Campaign 1 'wave test': paused (error threshold: 1 of 2 devices of wave 1 failed)")
                .contains("security counter 2").contains("failed 410").contains("downloading")
                .contains("FUMO State 30").doesNotContain("x".repeat(100));

        show.id = 9;
        assertThatThrownBy(show::execute).isInstanceOf(CommandException.class)
                .hasMessage("No campaign 9 (see dms:fumo-campaign-list).");
    }

    @Test
    void packages_lists_firmware_and_with_all_also_applications() throws Exception {
        FumoPackagesCommand c = new FumoPackagesCommand();
        c.catalog = catalog;
        c.out = out.stream;
        c.execute();
        assertThat(out.text()).contains("fw-2.bin").contains("0123456789abcdef...").doesNotContain("meter.jar");
        c.all = true;
        c.execute();
        assertThat(out.text()).contains("meter.jar");
    }

    @Test
    void publish_checks_the_files_bounds_the_manifest_and_reports_a_refusal() throws Exception {
        Path payload = Files.write(dir.resolve("fw-3.bin"), new byte[] {1, 2, 3});
        Path good = Files.write(dir.resolve("good.p7"), "ok".getBytes(StandardCharsets.UTF_8));
        Path bad = Files.write(dir.resolve("bad.p7"), "bad".getBytes(StandardCharsets.UTF_8));
        Path huge = dir.resolve("huge.p7");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(FumoPublishCommand.MAX_MANIFEST + 1);
        }
        FumoPublishCommand c = new FumoPublishCommand();
        c.catalog = catalog;
        c.out = out.stream;
        c.file = dir.resolve("missing.bin").toString();
        c.manifest = good.toString();
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("No such file")
                .hasMessageContaining("missing.bin");
        c.file = payload.toString();
        c.manifest = huge.toString();
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("not a signed manifest");
        c.manifest = bad.toString();
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessage("Refused: the manifest's signer is not trusted");
        assertThat(catalog.published).isEmpty();

        c.manifest = good.toString();
        c.name = "gateway-3.bin";
        c.replace = true;
        c.execute();
        assertThat(catalog.published).containsExactly("gateway-3.bin (replace)");
        assertThat(out.text()).contains("Published gateway-3.bin: FIRMWARE").contains("at /packages/gateway-3.bin");
    }

    @Test
    void device_tag_shows_adds_and_removes_and_refuses_bad_tags_and_unknown_devices() throws Exception {
        tag("IMEI:1", false).execute();
        tag("IMEI:1", false, "lab", "eu").execute();
        tag("IMEI:1", true, "lab").execute();
        assertThat(out.text().lines()).containsExactly("IMEI:1: no tags", "IMEI:1: eu lab", "IMEI:1: eu");
        assertThat(tagService.tags("IMEI:1")).isEqualTo(Set.of("eu"));
        assertThatThrownBy(tag("IMEI:1", false, "bad tag!")::execute).isInstanceOf(CommandException.class);
        assertThatThrownBy(tag("IMEI:9", false, "lab")::execute).isInstanceOf(CommandException.class)
                .hasMessage("no device IMEI:9 is registered");
        assertThat(tagService.tags("IMEI:1")).isEqualTo(Set.of("eu"));
    }
}

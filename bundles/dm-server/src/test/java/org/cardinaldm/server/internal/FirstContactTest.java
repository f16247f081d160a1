package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** First-contact provisioning (RD use case 5.1.2): a device with a card it was not seen with. */
class FirstContactTest extends EngineFixture {
    private final List<String> calls = new ArrayList<>();

    @BeforeEach
    void provisioning() {
        config = config.withCardIdUri("./SmartCard/Info/CardId");
        rebuild();
        engine.onFirstContact((device, card, previous) -> {
            calls.add(device.deviceId() + " " + card + " " + previous + " " + device.devInfo().get("./DevInfo/Mod"));
            return List.of(new SessionEngine.Provision("demo",
                    List.of(Operation.replace("./SmartCard/MO/Conf/Url", "https://dm.example/" + card, "chr"))));
        });
    }

    private DeviceSim deviceWithCard(String id, String card) {
        DeviceSim d = device(true, id);
        if (card != null) {
            d.tree.put("./SmartCard/Info/CardId", card);
        }
        d.tree.put("./SmartCard/MO/Conf/Url", "old");
        return d;
    }

    private void newSession(DeviceSim d, String sessionId) {
        d.sessionId = sessionId;
        d.nextMsgId = 1;
        d.token = null;
        d.serverAccepted = false;
        d.runSession();
    }

    @Test
    void a_new_card_is_recorded_and_provisioned_after_the_pending_jobs_in_the_same_session() {
        DeviceSim d = deviceWithCard("IMEI:1", "89440001");
        Job pending = registry.submit("IMEI:1", null, List.of(Operation.get("./DevInfo/Mod")));
        List<SyncMessage> msgs = d.runSession();
        // the card is read first, alone
        assertThat(DeviceSim.managementCommands(msgs.get(0))).singleElement()
                .satisfies(c -> assertThat(((Get) c).items().get(0).target().locUri())
                        .isEqualTo("./SmartCard/Info/CardId"));
        assertThat(calls).containsExactly("IMEI:1 89440001 null Sim");
        assertThat(registry.device("IMEI:1").orElseThrow().cardId()).isEqualTo("89440001");
        assertThat(d.tree).containsEntry("./SmartCard/MO/Conf/Url", "https://dm.example/89440001");
        List<Job> jobs = registry.jobs("IMEI:1", 10);
        assertThat(jobs).hasSize(2).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
        assertThat(jobs.get(0).description()).isEqualTo("first-contact provisioning (demo) for card 89440001");
        assertThat(jobs.get(1).id()).isEqualTo(pending.id());
        assertThat(engine.sessions()).isEmpty();

        newSession(d, "2");
        assertThat(calls).hasSize(1);
        assertThat(registry.jobs("IMEI:1", 10)).hasSize(2);

        d.tree.put("./SmartCard/Info/CardId", "89440002");
        newSession(d, "3");
        assertThat(calls).containsExactly("IMEI:1 89440001 null Sim", "IMEI:1 89440002 89440001 Sim");
        assertThat(d.tree).containsEntry("./SmartCard/MO/Conf/Url", "https://dm.example/89440002");
        assertThat(registry.device("IMEI:1").orElseThrow().cardId()).isEqualTo("89440002");
    }

    @Test
    void a_known_card_in_a_new_device_is_a_first_contact_too() {
        deviceWithCard("IMEI:2", "89440003").runSession();
        deviceWithCard("IMEI:3", "89440003").runSession();
        assertThat(calls).containsExactly("IMEI:2 89440003 null Sim", "IMEI:3 89440003 null Sim");
    }

    @Test
    void a_device_without_a_card_is_served_as_usual() {
        DeviceSim d = deviceWithCard("IMEI:4", null);
        Job job = registry.submit("IMEI:4", null, List.of(Operation.get("./DevInfo/Man")));
        d.runSession();
        assertThat(calls).isEmpty();
        assertThat(registry.device("IMEI:4").orElseThrow().cardId()).isNull();
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(engine.sessions()).isEmpty();
    }

    @Test
    void a_failing_policy_leaves_the_session_and_the_card_record_intact() {
        engine.onFirstContact((device, card, previous) -> {
            throw new IllegalStateException("profile store down");
        });
        DeviceSim d = deviceWithCard("IMEI:5", "89440005");
        Job job = registry.submit("IMEI:5", null, List.of(Operation.get("./DevInfo/Man")));
        d.runSession();
        assertThat(registry.device("IMEI:5").orElseThrow().cardId()).isEqualTo("89440005");
        assertThat(registry.jobs("IMEI:5", 10)).singleElement().satisfies(j -> assertThat(j.id()).isEqualTo(job.id()));
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }
}

package org.cardinaldm.mo.devdetail.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.fumo.api.spi.FirmwarePackage;
import org.cardinaldm.fumo.api.spi.UpdateAgent;
import org.junit.jupiter.api.Test;

/** FwV and SwV follow the FUMO update agents. */
class DevDetailAgentsTest {
    private static final MoContext SERVER = () -> Principal.server("srv1");
    private static final FakeHost HOST = new FakeHost().file("/sys/class/dmi/id/bios_version", "BIOS-2.3")
            .property("os.name", "Linux").property("os.version", "6.1.0");

    /** An agent reporting a version it is told; nothing else is used here. */
    static final class Agent implements UpdateAgent {
        volatile String version;
        final boolean firmware;
        RuntimeException failure;

        Agent(String version, boolean firmware) {
            this.version = version;
            this.firmware = firmware;
        }

        @Override
        public String installedVersion() {
            if (failure != null) {
                throw failure;
            }
            return version;
        }

        @Override
        public boolean isFirmware() {
            return firmware;
        }

        @Override
        public void apply(FirmwarePackage pkg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean healthy() {
            return true;
        }

        @Override
        public void rollback() {
        }

        @Override
        public void commit() {
        }

        @Override
        public Optional<String> pendingVersion() {
            return Optional.empty();
        }
    }

    static DevDetailPlugin plugin(Map<String, Object> config) {
        return new DevDetailPlugin(DevDetailPluginTest.config(config), HOST);
    }

    static String get(DevDetailPlugin p, String leaf) throws DmException {
        return p.get(NodeUri.of("./DevDetail/" + leaf), SERVER).asString();
    }

    @Test
    void fwv_shows_the_firmware_agents_version_live_and_falls_back_when_it_goes() throws Exception {
        DevDetailPlugin p = plugin(Map.of("fwv", "configured-1"));
        assertThat(get(p, "FwV")).isEqualTo("configured-1");
        Agent gw = new Agent("1.0.0", true);
        p.addAgent(gw, Map.of(UpdateAgent.COMPONENT, "Gateway"));
        assertThat(get(p, "FwV")).isEqualTo("1.0.0");
        gw.version = "2.0.0"; // an update switched
        assertThat(get(p, "FwV")).isEqualTo("2.0.0");
        assertThat(p.describe(NodeUri.of("./DevDetail/FwV"), SERVER).orElseThrow().size()).isEqualTo(5);
        assertThat(get(p, "SwV")).isEqualTo("Linux 6.1.0");
        p.removeAgent(gw);
        assertThat(get(p, "FwV")).isEqualTo("configured-1");
    }

    @Test
    void a_software_agent_sets_swv_and_several_agents_are_listed_by_component() throws Exception {
        DevDetailPlugin p = plugin(Map.of());
        p.addAgent(new Agent("3.1", false), Map.of(UpdateAgent.COMPONENT, "Gateway"));
        assertThat(get(p, "SwV")).isEqualTo("3.1");
        assertThat(get(p, "FwV")).isEqualTo("BIOS-2.3");
        p.addAgent(new Agent("5.0", true), Map.of(UpdateAgent.COMPONENT, "OS"));
        p.addAgent(new Agent("0.9", true), Map.of(UpdateAgent.COMPONENT, "Modem"));
        assertThat(get(p, "FwV")).isEqualTo("Modem=0.9, OS=5.0");
    }

    @Test
    void blank_or_failing_agents_leave_the_configured_value() throws Exception {
        DevDetailPlugin p = plugin(Map.of("fwv", "configured-1"));
        Agent blank = new Agent("", true);
        Agent broken = new Agent("1", true);
        broken.failure = new IllegalStateException("Karaf is gone");
        p.addAgent(blank, Map.of(UpdateAgent.COMPONENT, "A"));
        p.addAgent(broken, Map.of());
        assertThat(get(p, "FwV")).isEqualTo("configured-1");
    }

    @Test
    void an_overlong_agent_version_is_cut() throws Exception {
        DevDetailPlugin p = plugin(Map.of());
        p.addAgent(new Agent("9".repeat(1000), true), Map.of(UpdateAgent.COMPONENT, "Gateway"));
        assertThat(get(p, "FwV")).hasSize(DevDetailPlugin.MAX_AGENT_TEXT);
    }
}

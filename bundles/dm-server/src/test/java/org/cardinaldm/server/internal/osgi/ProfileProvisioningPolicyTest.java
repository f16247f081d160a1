package org.cardinaldm.server.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

class ProfileProvisioningPolicyTest {
    @TempDir
    Path dir;

    private static ProfileProvisioningPolicy policy(Map<String, Object> props) throws Exception {
        return new ProfileProvisioningPolicy(
                Converters.standardConverter().convert(props).to(ProfileProvisioningPolicy.Config.class));
    }

    private static Device device(String man, String mod) {
        return new Device("IMEI:1", null, Map.of("./DevInfo/Man", man, "./DevInfo/Mod", mod), null, null,
                AuthScheme.MD5, "u", AuthScheme.MD5, "cardinal", true, 0, 0, null, null);
    }

    @Test
    void a_matching_device_gets_the_tnds_document_then_the_operations() throws Exception {
        Path tnds = dir.resolve("gateway.xml");
        Files.writeString(tnds, "<MgmtTree xmlns='syncml:dmddf1.2'><VerDTD>1.2</VerDTD></MgmtTree>");
        Map<String, Object> p = new HashMap<>();
        p.put("dm.provisioning.name", "gateways");
        p.put("match.manufacturer", "Acme");
        p.put("match.model", "GW-.*");
        p.put("tnds.file", tnds.toString());
        p.put("operations", new String[] {"replace ./DevDetail/Ext/Mode managed", "exec ./Reboot"});
        ProfileProvisioningPolicy policy = policy(p);
        List<Operation> ops = policy.firstContact(device("Acme", "GW-2"), "8944", null);
        assertThat(ops).extracting(Operation::kind).containsExactly(OperationKind.REPLACE, OperationKind.REPLACE,
                OperationKind.EXEC);
        assertThat(ops.get(0).target()).isEqualTo("./SmartCard/MO");
        assertThat(ops.get(0).type()).isEqualTo("application/vnd.syncml.dmtnds+xml");
        assertThat(ops.get(0).format()).isEqualTo("xml");
        assertThat(ops.get(0).data()).contains("MgmtTree");
        assertThat(ops.get(1).data()).isEqualTo("managed");
        assertThat(policy.firstContact(device("Acme", "Phone"), "8944", null)).isEmpty();
        assertThat(policy.firstContact(device("Other", "GW-2"), "8944", null)).isEmpty();
    }

    @Test
    void a_cfg_file_list_written_as_one_string_is_split_into_its_operations() throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("operations", "[\"replace ./SmartCard/MO/Operator/Support help desk\", \"exec ./Reboot\" ,\"replace ./A say \\\"hi\\\"\"]");
        List<Operation> ops = policy(p).firstContact(device("x", "y"), "1", null);
        assertThat(ops).extracting(Operation::kind).containsExactly(OperationKind.REPLACE, OperationKind.EXEC,
                OperationKind.REPLACE);
        assertThat(ops.get(0).target()).isEqualTo("./SmartCard/MO/Operator/Support");
        assertThat(ops.get(0).data()).isEqualTo("help desk");
        assertThat(ops.get(2).data()).isEqualTo("say \"hi\"");
        assertThat(ProfileProvisioningPolicy.lines(new String[] {"[]"})).isEmpty();
        assertThat(ProfileProvisioningPolicy.lines(new String[] {"get ./A"})).containsExactly("get ./A");
        assertThatThrownBy(() -> ProfileProvisioningPolicy.lines(new String[] {"[\"get ./A\""}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end with ]");
        assertThatThrownBy(() -> ProfileProvisioningPolicy.lines(new String[] {"[get ./A]"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("double quotes");
        assertThatThrownBy(() -> ProfileProvisioningPolicy.lines(new String[] {"[\"get ./A]"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closing quote");
    }

    @Test
    void add_mode_and_defaults() throws Exception {
        Path tnds = dir.resolve("t.xml");
        Files.writeString(tnds, "<MgmtTree/>");
        Map<String, Object> p = new HashMap<>();
        p.put("tnds.file", tnds.toString());
        p.put("tnds.mode", "add");
        p.put("tnds.target", "./SmartCard/MO/App");
        List<Operation> ops = policy(p).firstContact(device("x", "y"), "1", "0");
        assertThat(ops).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(OperationKind.ADD);
            assertThat(o.target()).isEqualTo("./SmartCard/MO/App");
        });
    }

    @Test
    void bad_profiles_are_refused_at_activation() {
        Map<String, Object> p = new HashMap<>();
        p.put("match.model", "[");
        assertThatThrownBy(() -> policy(p)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pattern");
        Map<String, Object> q = new HashMap<>();
        q.put("tnds.file", dir.resolve("missing.xml").toString());
        assertThatThrownBy(() -> policy(q)).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> ProfileProvisioningPolicy.parse("frob ./x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProfileProvisioningPolicy.parse("replace ./x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ProfileProvisioningPolicy.parse("add ./N").format()).isEqualTo("node");
    }
}

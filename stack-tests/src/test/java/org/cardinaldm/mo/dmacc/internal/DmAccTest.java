package org.cardinaldm.mo.dmacc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.mo.dmacc.api.AppAuth;
import org.cardinaldm.mo.dmacc.api.AuthLevel;
import org.cardinaldm.mo.dmacc.api.AuthType;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.mo.dmacc.api.DmAccounts;
import org.junit.jupiter.api.Test;

/** DMAcc through the real tree engine: structure, value checks, write-only secrets, the typed view. */
class DmAccTest {
    private static final String SECRET = "Sup3r-S3cret-Pa55";
    private static final byte[] NONCE = {(byte) 0xC0, (byte) 0xFF, (byte) 0xEE, 0x01};

    private final DmAccTestTree t;
    private final TreeAccess srv;
    private final TreeAccess sys;
    private final DmAccounts accounts;

    DmAccTest() throws ReflectiveOperationException {
        t = new DmAccTestTree("Add=*&Get=*&Replace=*&Delete=*");
        srv = t.tree().as(Principal.server("dms.example.com"));
        sys = t.tree().as(Principal.system());
        accounts = new DmAccountsImpl(t.tree());
    }

    private static NodeUri u(String uri) {
        return NodeUri.of(uri);
    }

    private static NodeValue s(String text) {
        return NodeValue.ofString(text);
    }

    private static DmException assertStatus(StatusCode expected, Action action) {
        try {
            action.run();
        } catch (DmException e) {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(expected);
            assertThat(e.getMessage()).doesNotContain(SECRET);
            return e;
        }
        return fail("expected " + expected);
    }

    @FunctionalInterface
    private interface Action {
        void run() throws DmException;
    }

    /** Provisions a complete account as a server would, node by node. */
    private void provision(TreeAccess as, String x, String serverId) throws DmException {
        String a = "./DMAcc/" + x;
        as.add(u(a), NodeValue.interior());
        as.add(u(a + "/AppID"), s("w7"));
        as.add(u(a + "/ServerID"), s(serverId));
        as.add(u(a + "/Name"), s("Example DMS"));
        as.add(u(a + "/PrefConRef"), s("./ConnMO/Internet"));
        as.add(u(a + "/ToConRef/c1/ConRef"), s("./ConnMO/Fallback"));
        as.add(u(a + "/AppAddr/srv/Addr"), s("https://dms.example.com/dm"));
        as.add(u(a + "/AppAddr/srv/AddrType"), s("URI"));
        as.add(u(a + "/AppAddr/srv/Port/p1/PortNbr"), s("443"));
        as.add(u(a + "/AAuthPref"), s("DIGEST"));
        as.add(u(a + "/AppAuth/cl/AAuthLevel"), s("CLCRED"));
        as.add(u(a + "/AppAuth/cl/AAuthType"), s("DIGEST"));
        as.add(u(a + "/AppAuth/cl/AAuthName"), s("device-42"));
        as.add(u(a + "/AppAuth/cl/AAuthSecret"), s(SECRET));
        as.add(u(a + "/AppAuth/cl/AAuthData"), NodeValue.ofBinary(NONCE, "application/octet-stream"));
        as.add(u(a + "/AppAuth/sv/AAuthLevel"), s("SRVCRED"));
        as.add(u(a + "/AppAuth/sv/AAuthType"), s("HMAC"));
        as.add(u(a + "/AppAuth/sv/AAuthSecret"), s("server-side"));
    }

    @Test
    void dmacc_exists_as_a_permanent_node_once_the_description_is_there() throws DmException {
        assertThat(srv.children(u("."))).contains("DMAcc");
        assertThat(srv.describe(u("./DMAcc")).isPermanent()).isTrue();
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.delete(u("./DMAcc")));
        assertThat(accounts.accounts()).isEmpty();
    }

    @Test
    void a_provisioned_account_appears_in_the_typed_view_with_its_credentials() throws DmException {
        provision(srv, "acc1", "dms.example.com");
        DmAccount acc = accounts.byServerId("dms.example.com").orElseThrow();
        assertThat(acc.nodeName()).isEqualTo("acc1");
        assertThat(acc.uri()).isEqualTo(u("./DMAcc/acc1"));
        assertThat(acc.name()).isEqualTo("Example DMS");
        assertThat(acc.prefConRef()).isEqualTo("./ConnMO/Internet");
        assertThat(acc.toConRefs()).containsExactly("./ConnMO/Fallback");
        assertThat(acc.addresses()).hasSize(1);
        assertThat(acc.addresses().get(0).address()).isEqualTo("https://dms.example.com/dm");
        assertThat(acc.addresses().get(0).addressType()).isEqualTo("URI");
        assertThat(acc.addresses().get(0).ports()).containsExactly(443);
        assertThat(acc.preferredAuthType()).contains(AuthType.DIGEST);
        AppAuth client = acc.credential(AuthLevel.CLCRED).orElseThrow();
        assertThat(client.type()).isEqualTo(AuthType.DIGEST);
        assertThat(client.name()).isEqualTo("device-42");
        assertThat(client.secret()).isEqualTo(SECRET);
        assertThat(client.data()).containsExactly(NONCE);
        assertThat(acc.credential(AuthLevel.SRVCRED).orElseThrow().type()).isEqualTo(AuthType.HMAC);
        assertThat(acc.credential(AuthLevel.OBEX)).isEmpty();
        assertThat(acc.toString()).doesNotContain(SECRET).doesNotContain("server-side").contains("dms.example.com");
        assertThat(accounts.byServerId("other")).isEmpty();
    }

    @Test
    void secrets_are_write_only_through_the_tree() throws DmException {
        provision(srv, "acc1", "dms.example.com");
        String secret = "./DMAcc/acc1/AppAuth/cl/AAuthSecret";
        String data = "./DMAcc/acc1/AppAuth/cl/AAuthData";
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.get(u(secret)));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.get(u(data)));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> t.tree().as(Principal.localAdmin()).get(u(secret)));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.copy(u(secret), u("./Leak")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.getProperty(u(secret), Property.SIZE));
        srv.replace(u(secret), s("rotated"));
        assertThat(sys.get(u(secret)).asString()).isEqualTo("rotated");
        assertThat(srv.children(u("./DMAcc/acc1/AppAuth/cl"))).contains("AAuthSecret", "AAuthData");
        srv.delete(u(secret));
        assertThat(accounts.accounts().get(0).credential(AuthLevel.CLCRED).orElseThrow().secret()).isEmpty();
    }

    @Test
    void values_are_checked_with_400_and_the_message_never_quotes_them() throws DmException {
        srv.add(u("./DMAcc/a"), NodeValue.interior());
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.add(u("./DMAcc/a/AppID"), s("w2")));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.add(u("./DMAcc/a/ServerID"), s("")));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.add(u("./DMAcc/a/ServerID"), s("a b")));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.add(u("./DMAcc/a/ServerID"), s("a+b")));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.add(u("./DMAcc/a/AppAddr/x/Addr"), s(" ")));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.add(u("./DMAcc/a/AppAddr/x/AddrType"), s("URL")));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.add(u("./DMAcc/a/AppAddr/x/Port/p/PortNbr"), s("65536")));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.add(u("./DMAcc/a/AppAddr/x/Port/p/PortNbr"), s("-1")));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.add(u("./DMAcc/a/AppAuth/x/AAuthLevel"), s("APPSRV")));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.add(u("./DMAcc/a/AppAuth/x/AAuthType"), s("digest")));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.add(u("./DMAcc/a/AAuthPref"), s("MD5")));
        assertStatus(StatusCode.BAD_REQUEST, () -> sys.add(u("./DMAcc/a/AppID"), s("w2")));
        srv.add(u("./DMAcc/a/AppAddr/x/Port/p/PortNbr"), NodeValue.ofInt(65535));
        srv.add(u("./DMAcc/a/AAuthPref"), s(""));
        srv.add(u("./DMAcc/a/AppAddr/x/AddrType"), s("IPv6"));
    }

    @Test
    void nodes_outside_the_dmacc_structure_are_refused_except_below_ext() throws DmException {
        srv.add(u("./DMAcc/a"), NodeValue.interior());
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.add(u("./DMAcc/a/Password"), s("x")));
        assertStatus(StatusCode.UNSUPPORTED_MEDIA_TYPE, () -> srv.add(u("./DMAcc/Leaf"), s("x")));
        assertStatus(StatusCode.UNSUPPORTED_MEDIA_TYPE, () -> srv.add(u("./DMAcc/a/AppID"), NodeValue.ofInt(7)));
        assertStatus(StatusCode.UNSUPPORTED_MEDIA_TYPE, () -> srv.add(u("./DMAcc/a/AppAuth/x/AAuthData"), s("text")));
        srv.add(u("./DMAcc/a/AppAuth/x/AAuthData"), NodeValue.ofText(Format.B64, "", "AAEC"));
        srv.add(u("./DMAcc/a/Ext/Vendor/Flag"), NodeValue.ofBool(true));
        assertThat(srv.get(u("./DMAcc/a/Ext/Vendor/Flag"))).isEqualTo(NodeValue.ofBool(true));
    }

    @Test
    void the_account_type_is_the_dmacc_mo_identifier() throws DmException {
        srv.add(u("./DMAcc/a"), NodeValue.interior());
        assertThat(srv.getProperty(u("./DMAcc/a"), Property.TYPE)).isEqualTo(DmAccounts.MO_ID);
    }

    @Test
    void an_account_can_arrive_through_the_inbox() throws DmException {
        srv.add(u("./Inbox/boot"), NodeValue.of(Format.NODE, DmAccounts.MO_ID, new byte[0]));
        srv.add(u("./Inbox/boot/AppID"), s("w7"));
        srv.add(u("./Inbox/boot/ServerID"), s("inbox.example.com"));
        assertThat(accounts.byServerId("inbox.example.com")).map(DmAccount::nodeName).contains("boot");
    }

    @Test
    void incomplete_or_broken_entries_are_left_out_of_the_view() throws DmException {
        srv.add(u("./DMAcc/noserver/AppID"), s("w7"));
        srv.add(u("./DMAcc/good/AppID"), s("w7"));
        srv.add(u("./DMAcc/good/ServerID"), s("good"));
        srv.add(u("./DMAcc/good/AppAddr/noaddr/AddrType"), s("URI"));
        srv.add(u("./DMAcc/good/AppAddr/ok/Addr"), s("http://h"));
        srv.add(u("./DMAcc/good/AppAuth/nolevel/AAuthType"), s("BASIC"));
        List<DmAccount> all = accounts.accounts();
        assertThat(all).extracting(DmAccount::serverId).containsExactly("good");
        assertThat(all.get(0).addresses()).extracting(a -> a.nodeName()).containsExactly("ok");
        assertThat(all.get(0).addresses().get(0).addressType()).isEqualTo("URI");
        assertThat(all.get(0).credentials()).isEmpty();
        assertThat(all.get(0).preferredAuthType()).isEmpty();
    }

    @Test
    void a_server_id_is_checked_like_an_acl_id() {
        assertThat(DmAccDescription.isServerId("dms.example.com:443/x")).isTrue();
        assertThat(DmAccDescription.isServerId("a*")).isFalse();
        assertThat(DmAccDescription.isServerId("a\u0001")).isFalse();
        assertThat(DmAccDescription.isServerId("a=b")).isFalse();
        assertThat(DmAccDescription.isServerId("a&b")).isFalse();
    }

    @Test
    void secrets_never_reach_the_log_even_at_debug() throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            provision(srv, "acc1", "dms.example.com");
            try {
                srv.get(u("./DMAcc/acc1/AppAuth/cl/AAuthSecret"));
            } catch (DmException expected) {
                // refused
            }
            srv.replace(u("./DMAcc/acc1/AppAuth/cl/AAuthSecret"), s(SECRET + "2"));
            accounts.accounts();
            Optional<DmAccount> acc = accounts.byServerId("dms.example.com");
            System.err.println("view: " + acc);
        } finally {
            System.setErr(old);
        }
        String log = out.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("DEBUG").contains("AAuthSecret");
        assertThat(log).doesNotContain(SECRET).doesNotContain("server-side").doesNotContain("C0FFEE");
    }
}

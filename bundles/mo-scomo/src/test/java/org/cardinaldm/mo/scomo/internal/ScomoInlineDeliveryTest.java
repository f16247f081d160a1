package org.cardinaldm.mo.scomo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.AsyncResult;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

/**
 * Inline (direct) delivery: a server adds {@code Inventory/Delivered/<X>} with the package in {@code Data} and the
 * signed manifest in {@code Ext/Manifest}, then executes Install; the checks are those of a download.
 */
class ScomoInlineDeliveryTest extends ScomoTestBase {
    private static final String X = DELIVERED + "/app";

    private void deliver(byte[] jar, byte[] manifest) throws Exception {
        plugin.add(uri(X), NodeValue.interior(), SERVER);
        plugin.add(uri(X + "/PkgID"), NodeValue.ofString("app@1.0.0"), SERVER);
        plugin.add(uri(X + "/Name"), NodeValue.ofString("App"), SERVER);
        plugin.add(uri(X + "/Data"), NodeValue.ofBinary(jar, "application/vnd.osgi.bundle"), SERVER);
        if (manifest != null) {
            plugin.add(uri(X + "/Ext/Manifest"), NodeValue.ofBinary(manifest, "application/pkcs7-mime"), SERVER);
        }
    }

    @Test
    void a_bundle_delivered_inline_installs_after_verification_and_its_data_is_never_read_back() throws Exception {
        byte[] jar = bundle("com.acme.app", "1.0.0");
        deliver(jar, signer.sign(jar, "com.acme.app", "1.0.0", DEVICE));
        assertThat(plugin.children(uri(X), SERVER)).containsExactly("PkgID", "Name", "Data", "Ext", "State", "Status",
                "Operations");
        assertThat(plugin.describe(uri(X + "/Data"), SERVER).orElseThrow().size()).isEqualTo(jar.length);
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> plugin.get(uri(X + "/Data"), SERVER));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> plugin.get(uri(X + "/Ext/Manifest"), SERVER));

        assertThat(plugin.exec(uri(X + "/Operations/Install"), NodeValue.ofNull(), "c", SERVER))
                .isEqualTo(StatusCode.ACCEPTED);
        AsyncResult r = nextReport();
        assertThat(r.data()).isEqualTo("<ResultCode>1200</ResultCode><Identifier>com.acme.app</Identifier>");
        assertThat(r.target()).contains(DEPLOYED + "/com.acme.app");
        assertThat(bundleNamed("com.acme.app").getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(value(X + "/State")).isEqualTo(20);
        // installed: the entry no longer changes
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED,
                () -> plugin.add(uri(X + "/Data"), NodeValue.ofBinary(jar, "application/octet-stream"), SERVER));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED,
                () -> plugin.replace(uri(X + "/Name"), NodeValue.ofString("Other"), SERVER));
    }

    @Test
    void without_a_manifest_or_with_a_tampered_data_nothing_is_installed_1407() throws Exception {
        byte[] jar = bundle("com.acme.app", "1.0.0");
        deliver(jar, null);
        plugin.exec(uri(X + "/Operations/Install"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1407</ResultCode>");
        assertNothingInstalled("com.acme.app");
        assertThat(value(X + "/Status")).isEqualTo(50);

        plugin.add(uri(X + "/Ext/Manifest"), NodeValue.ofBinary(signer.sign(jar, "com.acme.app", "1.0.0", DEVICE),
                "application/pkcs7-mime"), SERVER);
        plugin.replace(uri(X + "/Data"), NodeValue.ofBinary(bundle("com.acme.app", "6.6.6"),
                "application/octet-stream"), SERVER);
        plugin.exec(uri(X + "/Operations/Install"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1407</ResultCode>");
        assertNothingInstalled("com.acme.app");

        plugin.replace(uri(X + "/Ext/Manifest"), NodeValue.ofBinary(stranger.sign(jar, "com.acme.app", "1.0.0",
                DEVICE), "application/pkcs7-mime"), SERVER);
        plugin.replace(uri(X + "/Data"), NodeValue.ofBinary(jar, "application/octet-stream"), SERVER);
        plugin.exec(uri(X + "/Operations/Install"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).as("untrusted signer").startsWith("<ResultCode>1407</ResultCode>");
        assertNothingInstalled("com.acme.app");
    }

    @Test
    void hostile_inline_deliveries_are_refused_with_4xx_and_change_nothing() throws Exception {
        plugin.deactivate();
        config.put("download.max.bytes", 1000L);
        config.put("max.entries", 1);
        plugin = newPlugin();
        plugin.add(uri(X), NodeValue.interior(), SERVER);
        assertStatus(StatusCode.INCOMPLETE_COMMAND,
                () -> plugin.exec(uri(X + "/Operations/Install"), NodeValue.ofNull(), "", SERVER));
        assertStatus(StatusCode.REQUEST_ENTITY_TOO_LARGE,
                () -> plugin.add(uri(X + "/Data"), NodeValue.ofBinary(new byte[1001], "application/octet-stream"),
                        SERVER));
        assertStatus(StatusCode.REQUEST_ENTITY_TOO_LARGE, () -> plugin.add(uri(X + "/Ext/Manifest"),
                NodeValue.ofBinary(new byte[64 * 1024 + 1], "application/pkcs7-mime"), SERVER));
        assertThat(plugin.children(uri(X), SERVER)).doesNotContain("Data");
        assertThat(plugin.children(uri(X + "/Ext"), SERVER)).isEmpty();
        assertStatus(StatusCode.DEVICE_FULL, () -> plugin.add(uri(DELIVERED + "/b"), NodeValue.interior(), SERVER));
        assertStatus(StatusCode.BAD_REQUEST, () -> plugin.add(uri(DELIVERED + "/a$b"), NodeValue.interior(), SERVER));
        assertStatus(StatusCode.ALREADY_EXISTS, () -> plugin.add(uri(X), NodeValue.interior(), SERVER));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED,
                () -> plugin.add(uri(X + "/Version"), NodeValue.ofString("9.9.9"), SERVER));
        assertStatus(StatusCode.ALREADY_EXISTS, () -> plugin.add(uri(X + "/State"), NodeValue.ofInt(20), SERVER));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED,
                () -> plugin.replace(uri(X + "/State"), NodeValue.ofInt(20), SERVER));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED,
                () -> plugin.add(uri(X + "/Ext/Other"), NodeValue.ofString("x"), SERVER));
        assertStatus(StatusCode.BAD_REQUEST,
                () -> plugin.add(uri(X + "/PkgType"), NodeValue.ofString("a\u0000b"), SERVER));
        assertStatus(StatusCode.NOT_FOUND,
                () -> plugin.add(uri(DELIVERED + "/none/Data"), NodeValue.ofBinary(new byte[1], "x/y"), SERVER));

        plugin.delete(uri(X), SERVER);
        assertThat(plugin.children(uri(DELIVERED), SERVER)).isEmpty();
        plugin.add(uri(DELIVERED + "/b"), NodeValue.interior(), SERVER);
    }

    @Test
    void a_package_being_installed_cannot_change_417() throws Exception {
        byte[] jar = bundle("com.acme.app", "1.0.0");
        deliver(jar, signer.sign(jar, "com.acme.app", "1.0.0", DEVICE));
        http.hold(); // not used by an inline install; the worker is blocked by a download held on the same queue
        descriptor("slow", publish("/slow.jar", bundle("com.acme.slow", "1.0.0"), "com.acme.slow", "1.0.0"));
        plugin.exec(uri(DL + "/slow/Operations/Download"), NodeValue.ofNull(), "", SERVER);
        http.awaitHeld();
        plugin.exec(uri(X + "/Operations/Install"), NodeValue.ofNull(), "", SERVER);
        assertStatus(StatusCode.RETRY_LATER,
                () -> plugin.replace(uri(X + "/Data"), NodeValue.ofBinary(jar, "application/octet-stream"), SERVER));
        assertStatus(StatusCode.RETRY_LATER, () -> plugin.delete(uri(X), SERVER));
        http.release();
        nextReport();
        assertThat(nextReport().data()).startsWith("<ResultCode>1200");
    }
}

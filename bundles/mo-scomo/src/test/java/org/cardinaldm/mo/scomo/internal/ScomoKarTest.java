package org.cardinaldm.mo.scomo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.apache.karaf.features.FeaturesService;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.testing.osgi.TestBundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

/**
 * KAR packages on a real Felix: SCOMO inspects the verified KAR, copies its bundles out and hands Karaf (here
 * {@link FakeFeaturesService} behind the real {@link KarafFeatureDeployer}) a features repository of its own;
 * a component is a feature. Also: no Karaf (1413, as on a plain framework), and the attacks (bundles from
 * outside the KAR, a foreign repository name, missing dependencies, shadowing a platform feature).
 */
class ScomoKarTest extends ScomoTestBase {
    private static final String MVN = "mvn:com.acme/hello/1.0.0";
    private FakeFeaturesService karaf;
    private boolean withKaraf = true;

    @BeforeEach
    void karaf() {
        karaf = new FakeFeaturesService(felix.harness().context());
        plugin.setFeatures(new KarafFeatureDeployer(karaf.service()));
    }

    @Override
    ScomoPlugin newPlugin() {
        ScomoPlugin p = super.newPlugin();
        if (withKaraf && karaf != null) {
            p.setFeatures(new KarafFeatureDeployer(karaf.service()));
        }
        return p;
    }

    private static byte[] helloKar() {
        return TestKar.withFeature("hello", "hello", MVN, bundle("com.acme.hello", "1.0.0")).bytes();
    }

    private AsyncResult downloadInstall(String x, byte[] kar, String signedName, String op) throws Exception {
        descriptor(x, publish("/" + x + ".kar", kar, signedName, "1.0.0"));
        assertThat(plugin.exec(uri(DL + "/" + x + "/Operations/" + op), NodeValue.ofNull(), "k", SERVER))
                .isEqualTo(StatusCode.ACCEPTED);
        return nextReport();
    }

    private Path karDir() {
        return felix.harness().context().getDataFile("scomo").toPath().resolve("kar");
    }

    @Test
    void a_signed_kar_installs_its_feature_from_its_own_bytes_and_the_feature_is_a_deployed_component()
            throws Exception {
        Bundle other = felix.harness().install("file:other.jar", TestBundle.named("com.acme.lib")
                .header("Bundle-Version", "1.0.0").bytes());
        other.start();
        Map<Long, String> before = picture();

        AsyncResult r = downloadInstall("hello", helloKar(), "hello", "DownloadInstall");

        assertThat(r.data()).isEqualTo("<ResultCode>1200</ResultCode><Identifier>hello/1.0.0</Identifier>");
        assertThat(r.target()).contains(DEPLOYED + "/hello~feature");
        Bundle b = bundleNamed("com.acme.hello");
        assertThat(b.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(b.getLocation()).startsWith("file:").contains("/scomo/kar/hello/repository/com/acme/hello/");
        assertThat(karaf.options).allSatisfy(o -> assertThat(o).contains(FeaturesService.Option.NoAutoRefreshBundles));
        assertThat(karaf.repositories).singleElement().satisfies(u -> assertThat(u.toString()).endsWith(
                "/scomo/kar/hello/features.xml"));
        // the unrelated bundle: same id, state and last-modified; every other bundle untouched
        Map<Long, String> after = picture();
        after.remove(b.getBundleId());
        assertThat(after).isEqualTo(before);

        String x = DEPLOYED + "/hello~feature";
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).contains("com.acme.hello", "hello~feature");
        assertThat(plugin.children(uri(x), SERVER))
                .containsExactly("ID", "PkgIDRef", "Name", "Version", "Description", "State", "Status", "Operations");
        assertThat(plugin.get(uri(x + "/ID"), SERVER).asString()).isEqualTo("hello/1.0.0");
        assertThat(plugin.get(uri(x + "/PkgIDRef"), SERVER).asString()).isEqualTo("hello@1.0.0");
        assertThat(plugin.get(uri(x + "/Description"), SERVER).asString()).isEqualTo("Demo");
        assertThat(value(x + "/State")).isEqualTo(20);
        // the feature's bundle is listed but managed through its feature only
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> plugin.exec(
                uri(DEPLOYED + "/com.acme.hello/Operations/Deactivate"), NodeValue.ofNull(), "", SERVER));
    }

    @Test
    void deactivate_activate_and_remove_of_a_feature_change_its_state_and_remove_takes_the_repository_away()
            throws Exception {
        downloadInstall("hello", helloKar(), "hello", "DownloadInstall");
        String x = DEPLOYED + "/hello~feature";

        plugin.exec(uri(x + "/Operations/Deactivate"), NodeValue.ofNull(), "d", SERVER);
        AsyncResult d = nextReport();
        assertThat(d.data()).startsWith("<ResultCode>1200");
        assertThat(d.target()).contains(x);
        assertThat(value(x + "/State")).isEqualTo(10);
        assertThat(bundleNamed("com.acme.hello").getState()).isEqualTo(Bundle.RESOLVED);

        plugin.exec(uri(x + "/Operations/Activate"), NodeValue.ofNull(), "a", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1200");
        assertThat(value(x + "/State")).isEqualTo(20);

        plugin.exec(uri(x + "/Operations/Remove"), NodeValue.ofNull(), "r", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1200");
        assertNothingInstalled("com.acme.hello");
        assertThat(karaf.repositories).isEmpty();
        assertThat(karDir().resolve("hello")).doesNotExist();
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).doesNotContain("hello~feature");
        assertThat(karaf.options).allSatisfy(o -> assertThat(o).contains(FeaturesService.Option.NoAutoRefreshBundles));
    }

    @Test
    void install_inactive_installs_the_feature_without_starting_it_and_features_survive_a_restart() throws Exception {
        AsyncResult r = downloadInstall("hello", helloKar(), "hello", "DownloadInstallInactive");
        assertThat(r.data()).startsWith("<ResultCode>1200");
        assertThat(karaf.options.get(0)).contains(FeaturesService.Option.NoAutoStartBundles);
        assertThat(bundleNamed("com.acme.hello").getState()).isNotEqualTo(Bundle.ACTIVE);
        assertThat(value(DEPLOYED + "/hello~feature/State")).isEqualTo(10);

        plugin.deactivate();
        plugin = newPlugin();
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).contains("hello~feature");
        assertThat(plugin.get(uri(DEPLOYED + "/hello~feature/ID"), SERVER).asString()).isEqualTo("hello/1.0.0");
    }

    @Test
    void without_karaf_a_kar_is_refused_with_1413_and_nothing_is_installed() throws Exception {
        plugin.unsetFeatures(null); // not the bound one: no change
        plugin.deactivate();
        withKaraf = false;
        plugin = newPlugin();
        AsyncResult r = downloadInstall("hello", helloKar(), "hello", "DownloadInstall");
        assertThat(r.data()).startsWith("<ResultCode>1413</ResultCode>");
        assertThat(r.target()).isEmpty();
        assertNothingInstalled("com.acme.hello");
        assertThat(karaf.repositories).isEmpty();
        assertThat(value(DL + "/hello/Status")).isEqualTo(70);
    }

    @Test
    void a_kar_whose_feature_pulls_a_bundle_from_outside_is_refused_with_1407_before_karaf_sees_it()
            throws Exception {
        byte[] kar = new TestKar().features("evil", "<feature name=\"evil\" version=\"1.0.0\">"
                + "<bundle>" + MVN + "</bundle><bundle>mvn:org.evil/payload/6.6.6</bundle></feature>")
                .put(KarInspector.entryOf(MVN), bundle("com.acme.hello", "1.0.0")).bytes();
        AsyncResult r = downloadInstall("evil", kar, "evil", "DownloadInstall");
        assertThat(r.data()).startsWith("<ResultCode>1407</ResultCode>");
        assertNothingInstalled("com.acme.hello");
        assertThat(karaf.repositories).isEmpty();
        assertThat(karaf.options).isEmpty();
        assertThat(karDir().resolve("evil")).doesNotExist();
        // a validation failure (20), as a bad signature is, not a failed install (70): found by ScomoKarIT
        assertThat(value(DL + "/evil/Status")).isEqualTo(20);
    }

    @Test
    void a_kar_signed_under_another_name_is_refused_with_1407() throws Exception {
        AsyncResult r = downloadInstall("hello", helloKar(), "trusted-app", "DownloadInstall");
        assertThat(r.data()).startsWith("<ResultCode>1407</ResultCode>");
        assertNothingInstalled("com.acme.hello");
        assertThat(value(DL + "/hello/Status")).isEqualTo(20);
    }

    @Test
    void a_kar_needing_a_feature_the_gateway_lacks_is_refused_with_1405_and_one_it_has_is_installed()
            throws Exception {
        String body = "<feature name=\"hello\" version=\"1.0.0\"><feature>scr</feature><bundle>" + MVN
                + "</bundle></feature>";
        byte[] kar = new TestKar().features("hello", body).put(KarInspector.entryOf(MVN),
                bundle("com.acme.hello", "1.0.0")).bytes();
        assertThat(downloadInstall("hello", kar, "hello", "DownloadInstall").data())
                .startsWith("<ResultCode>1405</ResultCode>");
        assertNothingInstalled("com.acme.hello");

        karaf.platformFeatures.add("scr/2.2.6");
        plugin.delete(uri(DL + "/hello"), SERVER);
        assertThat(downloadInstall("hello", kar, "hello", "DownloadInstall").data())
                .startsWith("<ResultCode>1200</ResultCode>");
        assertThat(bundleNamed("com.acme.hello").getState()).isEqualTo(Bundle.ACTIVE);
    }

    @Test
    void a_kar_shadowing_a_platform_feature_or_installed_twice_is_refused_with_1405() throws Exception {
        karaf.platformFeatures.add("hello/0.9.0");
        assertThat(downloadInstall("hello", helloKar(), "hello", "DownloadInstall").data())
                .startsWith("<ResultCode>1405</ResultCode>");
        assertNothingInstalled("com.acme.hello");

        karaf.platformFeatures.clear();
        plugin.delete(uri(DL + "/hello"), SERVER);
        assertThat(downloadInstall("hello", helloKar(), "hello", "DownloadInstall").data()).startsWith("<ResultCode>1200");
        assertThat(downloadInstall("again", helloKar(), "hello", "DownloadInstall").data())
                .startsWith("<ResultCode>1405</ResultCode>");
        assertThat(karaf.repositories).hasSize(1);
    }

    @Test
    void when_karaf_refuses_the_features_nothing_stays_installed_and_1405_is_reported() throws Exception {
        byte[] broken = TestBundle.named("com.acme.broken").header("Bundle-Version", "1.0.0")
                .header("Import-Package", "com.acme.missing").bytes();
        byte[] kar = TestKar.withFeature("broken", "broken", "mvn:com.acme/broken/1.0.0", broken).bytes();
        AsyncResult r = downloadInstall("broken", kar, "broken", "DownloadInstall");
        assertThat(r.data()).startsWith("<ResultCode>1405</ResultCode>");
        assertNothingInstalled("com.acme.broken");
        assertThat(karaf.repositories).isEmpty();
        assertThat(karDir().resolve("broken")).doesNotExist();
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).doesNotContain("broken~feature");
    }

    @Test
    void pkgtype_decides_between_bundle_and_kar_and_install_params_choose_features() throws Exception {
        String body = "<feature name=\"a\" version=\"1.0.0\"><bundle>mvn:com.acme/a/1.0.0</bundle></feature>"
                + "<feature name=\"b\" version=\"1.0.0\"><bundle>mvn:com.acme/b/1.0.0</bundle></feature>";
        byte[] kar = new TestKar().features("ab", body)
                .put(KarInspector.entryOf("mvn:com.acme/a/1.0.0"), bundle("com.acme.a", "1.0.0"))
                .put(KarInspector.entryOf("mvn:com.acme/b/1.0.0"), bundle("com.acme.b", "1.0.0")).bytes();
        descriptor("ab", publish("/ab.kar", kar, "ab", "1.0.0"));
        plugin.add(uri(DL + "/ab/PkgType"), NodeValue.ofString("application/vnd.osgi.bundle"), SERVER);
        plugin.exec(uri(DL + "/ab/Operations/DownloadInstall"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).as("declared a bundle, it is none").startsWith("<ResultCode>1413");

        plugin.replace(uri(DL + "/ab/PkgType"), NodeValue.ofString("application/x-unknown"), SERVER);
        plugin.exec(uri(DL + "/ab/Operations/DownloadInstall"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1413");

        plugin.replace(uri(DL + "/ab/PkgType"), NodeValue.ofString("application/vnd.apache.karaf.kar"), SERVER);
        plugin.add(uri(DL + "/ab/EnvType"), NodeValue.ofString("Windows"), SERVER);
        plugin.exec(uri(DL + "/ab/Operations/DownloadInstall"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).as("EnvType").startsWith("<ResultCode>1413");

        plugin.replace(uri(DL + "/ab/EnvType"), NodeValue.ofString("Karaf"), SERVER);
        plugin.add(uri(DL + "/ab/InstallParams"), NodeValue.ofString("reboot=now"), SERVER);
        plugin.exec(uri(DL + "/ab/Operations/DownloadInstall"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).as("unknown InstallParams").startsWith("<ResultCode>1405");

        plugin.replace(uri(DL + "/ab/InstallParams"), NodeValue.ofString("features=b"), SERVER);
        plugin.exec(uri(DL + "/ab/Operations/DownloadInstall"), NodeValue.ofNull(), "", SERVER);
        AsyncResult r = nextReport();
        assertThat(r.data()).isEqualTo("<ResultCode>1200</ResultCode><Identifier>b/1.0.0</Identifier>");
        assertThat(bundleNamed("com.acme.b").getState()).isEqualTo(Bundle.ACTIVE);
        assertNothingInstalled("com.acme.a");
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).contains("b~feature").doesNotContain("a~feature");
    }

    @Test
    void a_kar_delivered_inline_with_its_manifest_in_ext_installs() throws Exception {
        byte[] kar = helloKar();
        String x = DELIVERED + "/k";
        plugin.add(uri(x), NodeValue.interior(), SERVER);
        plugin.add(uri(x + "/PkgID"), NodeValue.ofString("hello@1.0.0"), SERVER);
        plugin.add(uri(x + "/PkgType"), NodeValue.ofString("application/vnd.apache.karaf.kar"), SERVER);
        plugin.add(uri(x + "/Data"), NodeValue.ofBinary(kar, "application/vnd.apache.karaf.kar"), SERVER);
        plugin.add(uri(x + "/Ext/Manifest"), NodeValue.ofBinary(signer.sign(kar, "hello", "1.0.0", DEVICE),
                "application/pkcs7-mime"), SERVER);
        plugin.exec(uri(x + "/Operations/Install"), NodeValue.ofNull(), "i", SERVER);
        AsyncResult r = nextReport();
        assertThat(r.data()).startsWith("<ResultCode>1200");
        assertThat(r.target()).contains(DEPLOYED + "/hello~feature");
        assertThat(value(x + "/State")).isEqualTo(20);
        assertThat(bundleNamed("com.acme.hello").getState()).isEqualTo(Bundle.ACTIVE);
    }


}

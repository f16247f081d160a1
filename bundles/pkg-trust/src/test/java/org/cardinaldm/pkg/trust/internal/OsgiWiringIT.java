package org.cardinaldm.pkg.trust.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.cardinaldm.pkg.trust.internal.Fixtures.Signer;
import org.cardinaldm.testing.osgi.FelixExtension;
import org.cardinaldm.testing.osgi.FelixHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * The packaged bundle in Felix + SCR with the three Bouncy Castle 1.87 bundles: it resolves against BC, exports
 * its two API packages, registers the verifier (called reflectively, in the framework's class space) and the
 * configured application signers, which follow Configuration Admin.
 */
class OsgiWiringIT {
    @RegisterExtension
    static final FelixExtension FELIX = new FelixExtension(FelixHarness.builder().slf4j().configAdmin()
            .bundlesOnClassPath("bcprov-jdk18on", "bcutil-jdk18on", "bcpkix-jdk18on").bundleUnderTest());

    private static final String API = "org.cardinaldm.pkg.trust.api.";

    private static Class<?> api(String simpleName) throws ClassNotFoundException {
        return FELIX.harness().bundleUnderTest().loadClass(API + simpleName);
    }

    @Test
    void the_bundle_resolves_with_bouncy_castle_and_exports_its_api() throws Exception {
        Bundle b = FELIX.harness().bundle("org.cardinaldm.pkg.trust");
        assertThat(b.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(b.getHeaders().get(Constants.EXPORT_PACKAGE))
                .contains("org.cardinaldm.pkg.trust.api;version=\"1.1.0\"", "org.cardinaldm.pkg.trust.api.sign;");
        assertThat(FELIX.harness().bundle("bcpkix").getState()).isEqualTo(Bundle.ACTIVE);
        // the API's classes come from the bundle, BC's from the BC bundles
        assertThat(api("ManifestVerifier").getClassLoader()).isNotSameAs(ManifestSigner.class.getClassLoader());
    }

    @Test
    void the_verifier_service_verifies_and_refuses_inside_the_framework() throws Exception {
        Signer s = Fixtures.signer("ec:secp256r1");
        byte[] payload = "payload".getBytes(StandardCharsets.US_ASCII);
        byte[] cms = ManifestSigner.of(s.key(), s.cert()).sign(Fixtures.app(payload));

        Object verifier = FELIX.harness().service(API + "ManifestVerifier");
        Class<?> trusted = api("TrustedSigners");
        Class<?> kind = api("PackageKind");
        Object signers = trusted.getMethod("ofHex", String[].class).invoke(null, (Object) new String[] {s.sha256()});
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object application = Enum.valueOf((Class) kind, "APPLICATION");
        Method verify = verifier.getClass().getMethod("verifyManifest", byte[].class, trusted, kind, String.class);

        Object ok = verify.invoke(verifier, cms, signers, application, Fixtures.DEVICE);
        assertThat(ok.getClass().getMethod("accepted").invoke(ok)).as("%s", ok).isEqualTo(true);

        Object none = trusted.getMethod("none").invoke(null);
        Object refused = verify.invoke(verifier, cms, none, application, Fixtures.DEVICE);
        assertThat(refused.toString()).contains("UNTRUSTED_SIGNER");
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_application_signers_follow_configuration_admin() throws Exception {
        Object service = FELIX.harness().service(API + "ApplicationSigners");
        Method signers = service.getClass().getMethod("signers");
        String hash = "7fb1ea7ad6b51ecf2ba63cd7ab925adb9e73c59011c790f63216b01a170c23f0";

        FELIX.harness().configure("org.cardinaldm.pkg.trust", Map.of("trusted.signers", new String[] {hash}));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Object current = FELIX.harness().service(API + "ApplicationSigners");
            Object set = current.getClass().getMethod("signers").invoke(current);
            assertThat((Set<Object>) set.getClass().getMethod("sha256Hex").invoke(set)).containsExactly(hash);
        });
        assertThat(signers).isNotNull();
    }
}

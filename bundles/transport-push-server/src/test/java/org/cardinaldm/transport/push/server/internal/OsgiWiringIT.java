package org.cardinaldm.transport.push.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

import org.cardinaldm.testing.osgi.FelixHarness;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The packaged server half in a plain Felix framework with SCR (the test kit's harness): it needs the DM server (its
 * SPI is a mandatory import, so without it the bundle does not resolve), never a DM client, and next to the DM
 * server its sender is a usable {@code PushSender} for the scheme {@code udp}.
 */
class OsgiWiringIT {
    private static FelixHarness.Builder nextToTheDmServer() {
        return FelixHarness.builder().slf4j().bundlesOnClassPath("syncml", "dm-server").bundleUnderTest();
    }

    @Test
    void without_the_dm_server_the_bundle_does_not_resolve() {
        FelixHarness.Builder withoutServer = FelixHarness.builder().slf4j().bundlesOnClassPath("syncml")
                .bundleUnderTest();
        assertThatThrownBy(withoutServer::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bundle org.cardinaldm.transport.push.server ")
                .hasMessageContaining("does not resolve").hasMessageContaining("org.cardinaldm.server.api.spi")
                .hasCauseInstanceOf(BundleException.class);
    }

    @Test
    void the_bundle_imports_the_server_spi_mandatorily_and_nothing_of_the_dm_client() throws Exception {
        try (FelixHarness felix = nextToTheDmServer().start()) {
            Bundle push = felix.bundleUnderTest();
            String imports = push.getHeaders().get(Constants.IMPORT_PACKAGE);
            assertThat(imports).contains("org.cardinaldm.server.api.spi").doesNotContain("resolution:=optional")
                    .doesNotContain("org.cardinaldm.client");
            assertThat(push.getState()).isEqualTo(Bundle.ACTIVE);
            assertThat(felix.symbolicNames()).doesNotContain("org.cardinaldm.client", "org.cardinaldm.transport.push");
        }
    }

    @Test
    void next_to_the_dm_server_the_sender_is_a_push_sender_for_udp_that_sends() throws Exception {
        try (FelixHarness felix = nextToTheDmServer().start()) {
            Bundle push = felix.bundleUnderTest();
            assertThat(push.getState()).isEqualTo(Bundle.ACTIVE);
            ServiceReference<?> ref = felix.reference("org.cardinaldm.server.api.spi.PushSender", "(dm.push.scheme=udp)");
            Object sender = felix.service(ref);
            assertThat(sender).as("PushSender registered").isNotNull();
            assertThat(ref.getBundle()).isEqualTo(push);
            Class<?> spi = ref.getBundle().loadClass("org.cardinaldm.server.api.spi.PushSender");
            assertThat(spi.getClassLoader()).as("the SPI comes from the dm-server bundle")
                    .isNotSameAs(getClass().getClassLoader());
            assertThat(spi.getClassLoader()).isSameAs(felix.bundle("org.cardinaldm.server").adapt(BundleWiring.class)
                    .getClassLoader());
            assertThat(spi.isInstance(sender)).isTrue();

            try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                rx.setSoTimeout(10_000);
                byte[] pkg0 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 2, (byte) 0xD0, 0, 0, 0, 0x12,
                    0x34};
                spi.getMethod("send", String.class, byte[].class).invoke(sender,
                        "udp:127.0.0.1:" + rx.getLocalPort(), pkg0);
                DatagramPacket p = new DatagramPacket(new byte[512], 512);
                rx.receive(p);
                byte[] got = Arrays.copyOf(p.getData(), p.getLength());
                assertThat(Arrays.copyOfRange(got, 6, got.length)).containsExactly(pkg0);
            }
        }
    }
}

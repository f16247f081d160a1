package org.cardinaldm.transport.http.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import javax.servlet.Servlet;

import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.api.transport.ServerEndpoint;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class DmServletComponentTest {
    private final AtomicReference<Object> service = new AtomicReference<>();
    private final AtomicReference<Dictionary<String, ?>> props = new AtomicReference<>();
    private final AtomicBoolean unregistered = new AtomicBoolean();

    @SuppressWarnings("unchecked")
    private BundleContext context() {
        ServiceRegistration<Servlet> registration = (ServiceRegistration<Servlet>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                    if (m.getName().equals("unregister")) {
                        unregistered.set(true);
                    }
                    return null;
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, a) -> {
                    if (m.getName().equals("registerService") && a[0] == Servlet.class) {
                        service.set(a[1]);
                        props.set((Dictionary<String, ?>) a[2]);
                        return registration;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private static DmServletComponent.Config config(String path, String select) {
        return config(path, select, new String[0], "X-Forwarded-For");
    }

    private static DmServletComponent.Config config(String path, String select, String[] proxies, String header) {
        return new DmServletComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DmServletComponent.Config.class;
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public int max_message_bytes() {
                return 0;
            }

            @Override
            public String public_url() {
                return "";
            }

            @Override
            public String context_select() {
                return select;
            }

            @Override
            public int body_timeout_seconds() {
                return 60;
            }

            @Override
            public String[] trusted_proxies() {
                return proxies;
            }

            @Override
            public String forwarded_header() {
                return header;
            }

            @Override
            public long pending_bytes() {
                return EndpointSettings.DEFAULT_PENDING_BYTES;
            }

            @Override
            public long pending_bytes_per_source() {
                return EndpointSettings.DEFAULT_PENDING_BYTES_PER_SOURCE;
            }
        };
    }

    private static final ServerEndpoint ENDPOINT = new ServerEndpoint() {
        @Override
        public OutboundMessage process(InboundMessage message) {
            return OutboundMessage.refusal(503, "test");
        }

        @Override
        public int maxMessageBytes() {
            return 1024;
        }
    };

    @Test
    void the_servlet_is_published_on_the_whiteboard_at_the_configured_path_and_withdrawn() {
        DmServletComponent c = new DmServletComponent(ENDPOINT, config("oma-dm", ""), context());
        assertThat(service.get()).isInstanceOf(DmServlet.class);
        assertThat(props.get().get("osgi.http.whiteboard.servlet.pattern")).isEqualTo("/oma-dm");
        assertThat(props.get().get("osgi.http.whiteboard.servlet.name")).isEqualTo("cardinal-dm-server");
        assertThat(props.get().get("osgi.http.whiteboard.context.select")).isNull();
        assertThat(props.get().get("osgi.http.whiteboard.servlet.asyncSupported")).isEqualTo(Boolean.TRUE);
        c.deactivate();
        assertThat(unregistered).isTrue();
    }

    @Test
    void a_context_filter_is_passed_to_the_whiteboard() {
        new DmServletComponent(ENDPOINT, config("/dm", "(osgi.http.whiteboard.context.name=dm)"), context());
        assertThat(props.get().get("osgi.http.whiteboard.servlet.pattern")).isEqualTo("/dm");
        assertThat(props.get().get("osgi.http.whiteboard.context.select"))
                .isEqualTo("(osgi.http.whiteboard.context.name=dm)");
    }

    @Test
    void no_proxy_is_trusted_by_default() {
        EndpointSettings s = DmServletComponent.settings(config("/dm", ""));
        assertThat(s.sources().trustsAnyProxy()).isFalse();
        assertThat(s.sources().resolve("10.0.0.1", java.util.List.of("203.0.113.9"))).isEqualTo("10.0.0.1");
    }

    @Test
    void trusted_proxies_accept_cidrs_and_skip_entries_that_are_not_addresses() {
        EndpointSettings s = DmServletComponent.settings(
                config("/dm", "", new String[] {"10.0.0.0/8, proxy.example", "2001:db8::/32"}, "forwarded"));
        assertThat(s.sources().header()).isEqualTo("Forwarded");
        assertThat(s.sources().resolve("10.1.2.3", java.util.List.of("for=203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(s.sources().resolve("2001:db8::5", java.util.List.of("for=203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(s.sources().resolve("192.0.2.1", java.util.List.of("for=203.0.113.9"))).isEqualTo("192.0.2.1");
    }

    @Test
    void an_unknown_forwarding_header_reads_none() {
        EndpointSettings s = DmServletComponent.settings(
                config("/dm", "", new String[] {"10.0.0.0/8"}, "X-Real-IP"));
        assertThat(s.sources().trustsAnyProxy()).isFalse();
        assertThat(s.sources().resolve("10.1.2.3", java.util.List.of("203.0.113.9"))).isEqualTo("10.1.2.3");
    }
}

package org.cardinaldm.transport.http.server.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import javax.servlet.Servlet;

import org.cardinaldm.server.api.transport.ServerEndpoint;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the DM server's {@link DmServlet} on the OSGi HTTP whiteboard (R7 chapter 140, as Pax Web
 * implements it in Karaf) at a configurable path, {@code /dm} by default, as an asynchronous servlet (its
 * bodies are read without holding a thread). Active once the DM server's {@link ServerEndpoint} is
 * there (the engine needs its registry first); the bundle is the server's half of the HTTP binding and is
 * never installed on a device.
 */
@Component(service = {}, configurationPid = "org.cardinaldm.transport.http.server", immediate = true)
@Designate(ocd = DmServletComponent.Config.class)
public final class DmServletComponent {
    private static final Logger LOG = LoggerFactory.getLogger(DmServletComponent.class);

    /** Configuration of the endpoint. */
    @ObjectClassDefinition(name = "Cardinal DM server HTTP endpoint")
    public @interface Config {
        /** @return the path */
        @AttributeDefinition(description = "Servlet path of the DM endpoint")
        String path() default "/dm";

        /** @return the body limit */
        @AttributeDefinition(description = "Largest request body in bytes; 0 for the server's MaxMsgSize")
        int max_message_bytes() default 0;

        /** @return the public URL */
        @AttributeDefinition(description = "URL devices reach the endpoint at, when behind a proxy; empty for the "
                + "request URL. The RespURI is built on it.")
        String public_url() default "";

        /** @return the context filter */
        @AttributeDefinition(description = "osgi.http.whiteboard.context.select filter; empty for the default "
                + "context")
        String context_select() default "";

        /** @return the body timeout */
        @AttributeDefinition(description = "Seconds a client may take to send a whole message body after its "
                + "headers; then 408. The body is read without holding a thread meanwhile", min = "1")
        int body_timeout_seconds() default 60;

        /** @return the bytes of bodies in flight */
        @AttributeDefinition(description = "Most bytes of request bodies being received at once (read without a "
                + "thread each, so only this bounds their memory); past it 503", min = "1")
        long pending_bytes() default EndpointSettings.DEFAULT_PENDING_BYTES;

        /** @return one source's share */
        @AttributeDefinition(description = "Most bytes of request bodies one source may have in flight; past it "
                + "503, other sources go on", min = "1")
        long pending_bytes_per_source() default EndpointSettings.DEFAULT_PENDING_BYTES_PER_SOURCE;

        /** @return the trusted proxies */
        @AttributeDefinition(required = false, description = "IP addresses or CIDR blocks (10.0.0.0/8, "
                + "2001:db8::/32) of reverse proxies or load balancers whose forwarding header names the "
                + "client. Empty: every request comes from its TCP peer and no forwarding header is read")
        String[] trusted_proxies() default {};

        /** @return the forwarding header */
        @AttributeDefinition(description = "The one header the trusted proxies write: X-Forwarded-For or "
                + "Forwarded (RFC 7239). The rightmost address in it that is not a trusted proxy is the source",
                options = {@Option(label = "X-Forwarded-For", value = "X-Forwarded-For"),
                        @Option(label = "Forwarded", value = "Forwarded")})
        String forwarded_header() default "X-Forwarded-For";
    }

    private final ServiceRegistration<Servlet> registration;

    /**
     * @param endpoint the DM server
     * @param config the configuration
     * @param context this bundle's context, to register the servlet with computed properties
     */
    @Activate
    public DmServletComponent(@Reference ServerEndpoint endpoint, Config config, BundleContext context) {
        String path = config.path().startsWith("/") ? config.path() : "/" + config.path();
        DmServlet servlet = new DmServlet(() -> endpoint, settings(config));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", path);
        props.put("osgi.http.whiteboard.servlet.name", "cardinal-dm-server");
        // bodies are read with non-blocking I/O (BodyReader), which needs an asynchronous servlet
        props.put("osgi.http.whiteboard.servlet.asyncSupported", Boolean.TRUE);
        if (!config.context_select().isBlank()) {
            props.put("osgi.http.whiteboard.context.select", config.context_select());
        }
        this.registration = context.registerService(Servlet.class, servlet, props);
        LOG.info("DM server endpoint published at {}", path);
    }

    static EndpointSettings settings(Config config) {
        String header = config.forwarded_header() == null || config.forwarded_header().isBlank()
                ? SourceAddress.X_FORWARDED_FOR : config.forwarded_header();
        List<String> proxies = new ArrayList<>();
        for (String entry : config.trusted_proxies() == null ? new String[0] : config.trusted_proxies()) {
            // one configuration value may hold several entries, as Karaf's .cfg files write them
            for (String e : entry.split(",")) {
                String p = e.trim();
                if (p.isEmpty()) {
                    continue;
                }
                try {
                    SourceAddress.of(List.of(p), header);
                    proxies.add(p);
                } catch (IllegalArgumentException ex) {
                    LOG.warn("trusted.proxies: ignoring '{}', not an IP address or CIDR block", p);
                }
            }
        }
        SourceAddress sources;
        try {
            sources = SourceAddress.of(proxies, header);
        } catch (IllegalArgumentException e) {
            LOG.warn("forwarded.header: '{}' is neither X-Forwarded-For nor Forwarded; no forwarding header is read",
                    header);
            sources = SourceAddress.PEER_ONLY;
        }
        if (sources.trustsAnyProxy()) {
            LOG.info("DM endpoint trusts {} from {} proxy address(es)", sources.header(), proxies.size());
        }
        return new EndpointSettings(config.max_message_bytes(), config.public_url(),
                Duration.ofSeconds(Math.max(1, config.body_timeout_seconds())), sources,
                Math.max(1, config.pending_bytes()), Math.max(1, config.pending_bytes_per_source()));
    }

    /** Withdraws the servlet. */
    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }
}

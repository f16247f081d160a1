package org.cardinaldm.transport.http.internal.server;

import java.util.Dictionary;
import java.util.Hashtable;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the DM server's {@link DmServlet} on the OSGi HTTP whiteboard (R7 chapter 140, as Pax Web
 * implements it in Karaf) at a configurable path, {@code /dm} by default. Only active where a DM server
 * runs: on a device the {@link ServerEndpoint} never appears and this component stays unsatisfied.
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
        DmServlet servlet = new DmServlet(() -> endpoint, config.max_message_bytes(), config.public_url());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", path);
        props.put("osgi.http.whiteboard.servlet.name", "cardinal-dm-server");
        if (!config.context_select().isBlank()) {
            props.put("osgi.http.whiteboard.context.select", config.context_select());
        }
        this.registration = context.registerService(Servlet.class, servlet, props);
        LOG.info("DM server endpoint published at {}", path);
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

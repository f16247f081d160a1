package org.cardinaldm.server.console.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;

import javax.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the operator web console ({@link ConsoleServlet}) on the OSGi HTTP whiteboard (R7 chapter
 * 140; Pax Web in Karaf) at {@code path} and {@code path/*}, {@code /cardinal/console} by default. The
 * console is static: every request it makes goes to the REST API at {@code api.base} on the same
 * origin, which authenticates the operator (its login page uses the API's console session) and decides
 * what a viewer may do. This bundle holds no credentials and no state.
 */
@Component(service = {}, configurationPid = "org.cardinaldm.server.console", immediate = true)
@Designate(ocd = ConsoleComponent.Config.class)
public final class ConsoleComponent {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleComponent.class);

    /** Configuration of the web console. */
    @ObjectClassDefinition(name = "Cardinal operator web console")
    public @interface Config {
        /** @return the path */
        @AttributeDefinition(description = "Path of the console on the HTTP service")
        String path() default "/cardinal/console";

        /** @return the API base */
        @AttributeDefinition(description = "Base path of the REST API (server-rest's osgi.jaxrs.application.base) "
                + "on the same origin")
        String api_base() default "/cardinal/api/v1";

        /** @return the context filter */
        @AttributeDefinition(required = false, description = "osgi.http.whiteboard.context.select filter; empty "
                + "for the default context")
        String context_select() default "";
    }

    private final ServiceRegistration<Servlet> registration;

    /**
     * @param config the configuration
     * @param context this bundle's context, to register the servlet with computed properties
     * @throws IOException when a file of the console is missing from the bundle
     */
    @Activate
    public ConsoleComponent(Config config, BundleContext context) throws IOException {
        String path = path(config.path());
        ConsoleAssets assets = ConsoleAssets.load(ConsoleComponent.class.getClassLoader(), config.api_base());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", new String[] {path, path + "/*"});
        props.put("osgi.http.whiteboard.servlet.name", "cardinal-console");
        if (config.context_select() != null && !config.context_select().isBlank()) {
            props.put("osgi.http.whiteboard.context.select", config.context_select());
        }
        this.registration = context.registerService(Servlet.class, new ConsoleServlet(assets), props);
        LOG.info("Operator console published at {}/ (REST API at {})", path, ConsoleAssets.checkedBase(config.api_base()));
    }

    /**
     * @param configured the configured path
     * @return it with a leading and without a trailing slash
     * @throws IllegalArgumentException when it is not a plain path
     */
    static String path(String configured) {
        String p = configured == null ? "" : configured.trim();
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/") || !p.matches("/[A-Za-z0-9/._~-]{1,200}") || p.contains("//")) {
            throw new IllegalArgumentException("path must be a path below the root such as /cardinal/console");
        }
        return p;
    }

    /** Withdraws the console. */
    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}

package org.cardinaldm.server.packages.internal;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * Publishes {@link PackageServlet} on the OSGi HTTP whiteboard (R7 chapter 140, Pax Web in Karaf) at
 * {@code <path>/*}, {@code /packages/*} by default, serving the configured directory: where devices
 * download the signed packages a DM server asks them to install (SCOMO {@code PkgURL}) and their
 * {@code .manifest.p7} sidecars. Without authentication: the packages are signed, and the device verifies
 * the signature before it installs anything (docs/decisions.md, "Packages are served without
 * authentication").
 */
@Component(service = {}, configurationPid = "org.cardinaldm.server.packages", immediate = true)
@Designate(ocd = PackagesComponent.Config.class)
public final class PackagesComponent {
    private static final Logger LOG = LoggerFactory.getLogger(PackagesComponent.class);

    /** Configuration of the package download point. */
    @ObjectClassDefinition(name = "Cardinal package downloads")
    public @interface Config {
        /** @return the directory */
        @AttributeDefinition(required = false, description = "Directory whose files are served; empty: "
                + "<karaf.home>/packages")
        String directory() default "";

        /** @return the path */
        @AttributeDefinition(description = "Servlet path; files are served below it")
        String path() default "/packages";

        /** @return the total limit */
        @AttributeDefinition(description = "Most downloads in progress at once, all sources; past it 503", min = "1")
        int max_downloads() default 16;

        /** @return one source's share */
        @AttributeDefinition(description = "Most downloads in progress at once from one source address; past it "
                + "503", min = "1")
        int max_downloads_per_source() default 2;

        /** @return the largest payload the catalogue accepts */
        @AttributeDefinition(description = "Largest package payload an upload may have, in bytes", min = "1")
        long max_package_bytes() default 512L * 1024 * 1024;

        /** @return the firmware signers */
        @AttributeDefinition(required = false, description = "SHA-256 of each firmware signer's SubjectPublicKeyInfo "
                + "(64 hex digits; a list or one comma-separated line); empty: no firmware is published")
        String[] trusted_firmware_signers() default {};

        /** @return the firmware threshold */
        @AttributeDefinition(description = "How many distinct trusted firmware signers must have signed a firmware "
                + "manifest (M-of-N)", min = "1")
        int firmware_signer_threshold() default 1;

        /** @return the application signers */
        @AttributeDefinition(required = false, description = "SHA-256 of each application signer's "
                + "SubjectPublicKeyInfo; empty: no application is published")
        String[] trusted_application_signers() default {};

        /** @return the context filter */
        @AttributeDefinition(required = false, description = "osgi.http.whiteboard.context.select filter; empty "
                + "for the default context")
        String context_select() default "";
    }

    private final ServiceRegistration<Servlet> registration;

    /**
     * @param config the configuration
     * @param context this bundle's context, to register the servlet with computed properties
     */
    @Activate
    public PackagesComponent(Config config, BundleContext context) {
        Path directory = directory(config.directory(), System.getProperty("karaf.home"));
        String path = path(config.path());
        if (!Files.isDirectory(directory)) {
            LOG.warn("Package directory {} does not exist: every download answers 404 until it does", directory);
        }
        PackageServlet servlet = new PackageServlet(directory, new DownloadLimits(Math.max(1, config.max_downloads()),
                Math.max(1, config.max_downloads_per_source())));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", path + "/*");
        props.put("osgi.http.whiteboard.servlet.name", "cardinal-packages");
        if (config.context_select() != null && !config.context_select().isBlank()) {
            props.put("osgi.http.whiteboard.context.select", config.context_select());
        }
        this.registration = context.registerService(Servlet.class, servlet, props);
        LOG.info("Packages of {} published at {}/", directory, path);
    }

    /** @return the configured directory, or {@code <karaf.home>/packages}, or {@code packages} */
    static Path directory(String configured, String karafHome) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim()).toAbsolutePath().normalize();
        }
        Path base = karafHome == null || karafHome.isBlank() ? Path.of("") : Path.of(karafHome);
        return base.resolve("packages").toAbsolutePath().normalize();
    }

    /** @return the path with one leading slash and no trailing one */
    static String path(String configured) {
        String p = configured == null || configured.isBlank() ? "/packages" : configured.trim();
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
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

package org.cardinaldm.mo.scomo.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/**
 * Installs a verified OSGi bundle package. The bundle's location is {@value #LOCATION_PREFIX} + its symbolic
 * name, which is how SCOMO recognises, after any restart, the components it installed (the framework keeps
 * locations). Installing never refreshes other bundles: {@code installBundle}/{@code update} and {@code start}
 * only, never {@code FrameworkWiring.refreshBundles}.
 */
final class BundleInstaller {
    /** Location prefix of every bundle SCOMO installs. */
    static final String LOCATION_PREFIX = "scomo:";

    private final BundleContext context;

    /** Why an install failed, with its SCOMO result code. */
    static final class InstallException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;

        InstallException(int code, String message) {
            super(message);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    BundleInstaller(BundleContext context) {
        this.context = context;
    }

    /** @return whether SCOMO installed the bundle (its location starts with {@value #LOCATION_PREFIX}) */
    static boolean installedByScomo(Bundle b) {
        return b.getLocation() != null && b.getLocation().startsWith(LOCATION_PREFIX);
    }

    /**
     * @param payload a jar
     * @return its {@code Bundle-SymbolicName} without attributes
     * @throws InstallException 1413 when it is not a jar with a symbolic name (not an OSGi bundle)
     */
    static String symbolicName(Path payload) throws InstallException {
        try (JarFile jar = new JarFile(payload.toFile())) {
            Manifest mf = jar.getManifest();
            String bsn = mf == null ? null : mf.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (bsn == null || bsn.isBlank()) {
                throw new InstallException(ScomoCodes.UNSUPPORTED_TYPE, "the package is not an OSGi bundle "
                        + "(no Bundle-SymbolicName); only bundles are installed in this release");
            }
            int semi = bsn.indexOf(';');
            return (semi < 0 ? bsn : bsn.substring(0, semi)).strip();
        } catch (IOException e) {
            throw new InstallException(ScomoCodes.UNSUPPORTED_TYPE, "the package is not a jar (OSGi bundle)");
        }
    }

    /**
     * Installs or updates the bundle, then starts or stops it.
     *
     * @param payload the verified jar
     * @param signedName the name in the signed manifest, which must be the bundle's symbolic name
     * @param start whether to start it (Install, DownloadInstall) or leave it inactive (…Inactive)
     * @return the bundle
     * @throws InstallException 1407 when the signed name is not the symbolic name, 1413 for a non-bundle, 1405
     *         when the framework refuses, or a platform bundle (not installed by SCOMO) has that symbolic name
     */
    Bundle install(Path payload, String signedName, boolean start) throws InstallException {
        String bsn = symbolicName(payload);
        if (!bsn.equals(signedName)) {
            throw new InstallException(ScomoCodes.VALIDATION_FAILED, "the signed manifest names '" + signedName
                    + "' but the bundle is '" + bsn + "'");
        }
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName()) && !installedByScomo(b)) {
                throw new InstallException(ScomoCodes.INSTALL_FAILED, "a platform component named '" + bsn
                        + "' exists; SCOMO does not replace components it did not install");
            }
        }
        String location = LOCATION_PREFIX + bsn;
        Bundle existing = context.getBundle(location);
        Bundle bundle = null;
        try (InputStream in = Files.newInputStream(payload)) {
            if (existing == null) {
                bundle = context.installBundle(location, in);
            } else {
                bundle = existing;
                existing.update(in);
            }
            if (start) {
                bundle.start();
            } else if (bundle.getState() == Bundle.ACTIVE) {
                bundle.stop();
            }
            return bundle;
        } catch (BundleException | IOException | IllegalStateException | SecurityException e) {
            if (existing == null && bundle != null) {
                try {
                    bundle.uninstall();
                } catch (BundleException | IllegalStateException ignored) {
                    // already gone
                }
            }
            throw new InstallException(ScomoCodes.INSTALL_FAILED, "the framework refused the bundle: "
                    + e.getMessage());
        }
    }
}

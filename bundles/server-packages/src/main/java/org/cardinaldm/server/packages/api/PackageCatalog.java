package org.cardinaldm.server.packages.api;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The packages the server publishes to devices (a DS service of {@code server-packages}). A package is
 * published only after its signed manifest verified against the operator's trusted signers and its payload
 * matched the manifest; a half-written upload is never visible.
 */
@ProviderType
public interface PackageCatalog {
    /** @return every published package whose manifest verifies, by file name */
    List<PublishedPackage> list();

    /**
     * @param fileName a payload's file name
     * @return that package, if published and verified
     */
    Optional<PublishedPackage> find(String fileName);

    /**
     * Verifies and publishes a package.
     *
     * @param fileName the name to serve it under (the package servlet's name rules)
     * @param payload the payload, read to its end (not closed)
     * @param signedManifest the CMS SignedData, DER
     * @param replace whether an existing package of that name may be replaced
     * @return what was published
     * @throws PackageRejectedException when the name, signature, signer, payload or space is not acceptable
     */
    PublishedPackage publish(String fileName, InputStream payload, byte[] signedManifest, boolean replace)
            throws PackageRejectedException;

    /**
     * @param fileName a payload's file name
     * @return whether a package was removed (its manifest with it)
     */
    boolean remove(String fileName);

    /** @return the servlet path devices download from, e.g. {@code /packages} */
    String path();
}

/**
 * The signing side of {@code docs/signed-packages.md}: builds the CMS SignedData of a package manifest from a
 * private key and its certificate, for the operator's tool, servers that sign on upload, and tests. Devices do
 * not need it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.pkg.trust.api.sign;

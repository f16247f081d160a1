/**
 * Signed package manifests: what a package claims (kind, name, version, device classes, payload length and
 * SHA-256, optional security counter), signed as CMS SignedData (RFC 5652) by one key that the device trusts
 * by the SHA-256 of its SubjectPublicKeyInfo, or, for firmware, by several keys of which a threshold must be
 * trusted (M-of-N, since 1.1: {@link org.cardinaldm.pkg.trust.api.ManifestSignature}). SCOMO (application
 * packages) and FUMO (firmware) verify every package through
 * {@link org.cardinaldm.pkg.trust.api.ManifestVerifier} before anything is installed.
 *
 * <p>The format, its ASN.1 and the allowed algorithms are specified in {@code docs/signed-packages.md}; the
 * trust decision (who trusts which signer) in {@code docs/decisions.md}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.pkg.trust.api;

/**
 * SyncML DM credentials: {@code syncml:auth-basic}, {@code syncml:auth-md5} and the
 * {@code x-syncml-hmac} integrity header (OMA-TS-DM_Security-V1_2 sections 5.1.3 and 5.1.4; digest
 * sections 3 and 10.1). Comparisons run in constant time; no value here ever prints a secret.
 *
 * <p>{@link org.cardinaldm.syncml.api.auth.UserDigests} (since 1.1.0) makes the same digests from a stored
 * user digest B64(H(name ":" password)) instead of the password, for servers.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.syncml.api.auth;

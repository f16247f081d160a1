/**
 * What a transport binding (HTTP in {@code org.cardinaldm.transport.http}) hands to the DM server and
 * gets back: one SyncML message in, one SyncML message out (OMA-TS-SyncML_HTTPBinding-V1_2; digest
 * section 1.1). The transport owns the wire (content types, size limits, TLS); the server owns the
 * session.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.1")
package org.cardinaldm.server.api.transport;

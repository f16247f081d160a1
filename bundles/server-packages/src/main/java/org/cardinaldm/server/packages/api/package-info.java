/**
 * The server's catalogue of published packages (applications and firmware): what an operator uploads,
 * checked against the operator's trusted signers, and what devices download from the package servlet. Firmware
 * campaigns read it to choose what to send.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.server.packages.api;

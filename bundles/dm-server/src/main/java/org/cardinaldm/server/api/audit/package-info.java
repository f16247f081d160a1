/**
 * The audit log of operator actions: who did what, when, from where (the Karaf shell, the REST API, the web
 * console) and with what outcome. Entries are kept in the registry's store, so every server node that shares the
 * registry sees the same log; the store bounds it by age and by rows. Entries never carry secrets: no passwords,
 * no credential values (an operation's value is recorded as its size only). Since 1.1 the log is listed with filters by actor, action,
 * target and time range ({@link org.cardinaldm.server.api.audit.AuditQuery}), which a registry store may answer in
 * its own query language ({@link org.cardinaldm.server.api.audit.AuditQueryStore}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.server.api.audit;

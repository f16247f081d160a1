/**
 * Persistence of the DM server: the device registry with its credential digests and nonces, jobs,
 * their results and the alerts devices send. {@code dm-server-jdbc} implements
 * {@link org.cardinaldm.server.api.spi.ServerStore} on JDBC; the server also has an in-memory one for
 * tests. Several server nodes may share one store: jobs are claimed atomically. Package-0 bearers are
 * {@link org.cardinaldm.server.api.spi.PushSender}s keyed by
 * {@link org.cardinaldm.server.api.spi.PushScheme} (since 1.2). Execs answered {@code 202} wait in the store for
 * their Generic Alert 1226 ({@code ServerStore#insertAsyncExec} and the methods after it, since 1.3). Since 1.4 a
 * store may search the fleet and count it by state and by hour itself ({@code ServerStore#searchDevices},
 * {@code #fleetStats}) and keeps the operators' audit log ({@code #insertAudit}, {@code #auditEntries},
 * {@code #pruneAudit}). Since 1.5 {@code ServerStore#sync} makes the store's changes durable before the server
 * acknowledges them (the durability rule in {@link org.cardinaldm.server.api.spi.ServerStore}'s description), and a
 * store may keep what several server nodes share beyond jobs: the node registry with its
 * beats ({@code #insertNode} and after), the dispatch marks and claims a node recovering a lost node's sessions
 * reads ({@code #markDispatched}, {@code #claimedJobs}, {@code #releaseClaim}, {@link org.cardinaldm.server.api.spi.ClaimedJob})
 * and the package-0 notifications ({@code #insertNotification} and after,
 * {@link org.cardinaldm.server.api.spi.StoredNotification}). Since 1.6 a store may remove jobs that ended long ago
 * ({@code #pruneJobs}: the job retention).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.6.0")
package org.cardinaldm.server.api.spi;

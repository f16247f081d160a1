/**
 * Cardinal's test kit: one JUnit 5 extension per outside resource a test may need, so that the rule "skip with
 * the Debian package to install, or fail when {@code CI=true}" lives in one place.
 *
 * <ul>
 * <li>{@link org.cardinaldm.testing.RequiresPcscd}: a running pcscd with vsmartcard's vpcd driver;</li>
 * <li>{@link org.cardinaldm.testing.RequiresTool}: a program on {@code PATH} (and {@link
 * org.cardinaldm.testing.ExternalTool} to find and run it);</li>
 * <li>{@link org.cardinaldm.testing.RequiresPostgres}: a fresh PostgreSQL database per test class, on a server
 * started from Maven artifacts (or the one {@code CARDINAL_TEST_PG_URL} names).</li>
 * </ul>
 *
 * The checks themselves are plain static methods returning the reason a resource is missing ({@link
 * org.cardinaldm.testing.Pcscd#missing()}, {@link org.cardinaldm.testing.Tools#missing(String, String)}, {@link
 * org.cardinaldm.testing.Postgres#missing()}), usable from JUnit 4 as well; {@link
 * org.cardinaldm.testing.Requirements#enforce} turns a reason into a skip or a CI failure.
 */
package org.cardinaldm.testing;

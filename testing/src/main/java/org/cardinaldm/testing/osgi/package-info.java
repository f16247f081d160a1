/**
 * A Felix + SCR harness for a bundle's wiring test ({@code OsgiWiringIT}): {@link
 * org.cardinaldm.testing.osgi.FelixHarness} starts an embedded Apache Felix framework with Declarative Services,
 * installs the packaged bundle and its neighbours from jars ({@link org.cardinaldm.testing.osgi.BundleJars}, or
 * in-memory {@link org.cardinaldm.testing.osgi.TestBundle}s), waits for services with a bounded timeout, sets
 * configurations, and stops cleanly; {@link org.cardinaldm.testing.osgi.FelixExtension} does it per JUnit 5 class
 * or test.
 */
package org.cardinaldm.testing.osgi;

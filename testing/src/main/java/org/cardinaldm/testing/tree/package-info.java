/**
 * A DM tree store for tests: {@link org.cardinaldm.testing.tree.InMemoryTreeStore}, an implementation of dm-api's
 * store SPI ({@link org.cardinaldm.api.spi.store.TreeStore}) in memory, with counters and fault injection, so that
 * tests of the tree engine, of MO plugins mounted in it and of the DM client need neither a file nor dm-tree's test
 * classes. Using it needs {@code dm-api} on the test class path (the kit has it in {@code provided} scope only).
 */
package org.cardinaldm.testing.tree;

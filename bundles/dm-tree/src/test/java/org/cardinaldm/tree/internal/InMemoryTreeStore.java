package org.cardinaldm.tree.internal;

/**
 * Transitional: the test kit's {@link org.cardinaldm.testing.tree.InMemoryTreeStore} under its old name, only for
 * the tests of other bundles that still take it from dm-tree's test-jar (smartcard-dm, smartcard-bootstrap) until
 * they move to {@code stack-tests}. dm-tree's own tests use the kit's class. Delete this class, and the test-jar,
 * once no module uses it.
 *
 * @deprecated use {@link org.cardinaldm.testing.tree.InMemoryTreeStore}
 */
@Deprecated
public class InMemoryTreeStore extends org.cardinaldm.testing.tree.InMemoryTreeStore {
}

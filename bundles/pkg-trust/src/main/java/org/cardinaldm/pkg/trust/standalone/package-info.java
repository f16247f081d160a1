/**
 * Package verification outside OSGi: tools, tests, a server wired by hand. Kept apart from
 * {@code org.cardinaldm.pkg.trust.api} so that the API package names nothing private of the bundle and stays
 * substitutable (the bundle imports it, and every bundle sees one copy of the API's types).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.pkg.trust.standalone;

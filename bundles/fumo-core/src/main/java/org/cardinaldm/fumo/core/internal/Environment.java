package org.cardinaldm.fumo.core.internal;

import org.cardinaldm.api.spi.mo.AsyncResults;
import org.cardinaldm.fumo.api.spi.FumoAuthorizer;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;

/**
 * The services FUMO's engine uses, each looked up when needed (any may come and go at run time); the DS
 * component implements it over its references, tests over fakes.
 */
interface Environment {
    /** @return the authority, or null when none is registered (every update is then refused with 409) */
    FumoAuthorizer authorizer();

    /** @return pkg-trust's verifier, or null */
    ManifestVerifier verifier();

    /** @return the DM client's result queue, or null */
    AsyncResults results();

    /** @return this device's class ({@code <Man>/<Mod>}), or null when unknown */
    String deviceClass();

    /** @return how the user is asked */
    Consent consent();

    /** Test hook: told each block's file length during a download (default: nothing). */
    default void downloaded(String instance, long bytes) {
    }
}

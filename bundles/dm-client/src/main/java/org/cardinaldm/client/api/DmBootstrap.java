package org.cardinaldm.client.api;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The entry point for bootstrap sources (digest 8): a smart-card stack, a file importer or a push
 * bearer hands over a DM-profile bootstrap message; the client applies it all or nothing as the
 * system principal, marks every account it creates with its origin (so that {@code dm:accounts} can
 * show it, and the origin can withdraw it), and connects to the new servers when asked.
 * <pre>{@code
 * // a card source: at power-on and on insertion
 * bootstrap.apply(BootstrapPackage.builder("card:" + iccid, bytes, MediaTypes.DM_WBXML).connect(policy.autoConnect()).build());
 * // on removal or replacement
 * bootstrap.withdraw("card:" + iccid);
 * }</pre>
 * What the service writes into {@code ./DMAcc} to remember origins and fingerprints is its own business:
 * sources ask {@link #origins()} and {@link #appliedFingerprint(String)} instead of reading the tree.
 */
@ProviderType
public interface DmBootstrap {
    /**
     * @param bootstrap the package
     * @return what happened; nothing was applied unless it is {@link BootstrapResult.Outcome#APPLIED}
     */
    BootstrapResult apply(BootstrapPackage bootstrap);

    /**
     * Removes every account an origin created.
     *
     * @param origin an origin, e.g. {@code card:8944...}
     * @return how many accounts were removed
     */
    int withdraw(String origin);

    /** @return the origin of each bootstrapped account, by ServerID; accounts made otherwise are absent */
    Map<String, String> origins();

    /**
     * What an origin's accounts were made from, so that a source can tell that the same content is applied
     * already (for instance at power-on) and neither asks the user again nor replaces accounts the server has
     * changed since.
     *
     * @param origin an origin, e.g. {@code card:8944...}
     * @return the {@link BootstrapPackage#fingerprint() fingerprint} that every account of the origin carries;
     *     empty when the origin has no accounts, when one of them carries none, or when they disagree
     * @since 1.2
     */
    Optional<String> appliedFingerprint(String origin);
}

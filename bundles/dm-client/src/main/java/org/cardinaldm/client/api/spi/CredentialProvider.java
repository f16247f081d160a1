package org.cardinaldm.client.api.spi;

import java.util.Optional;

import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A place that holds DM account credentials the device must not read, such as a smart card that
 * computes the digests itself. For each session and notification the client asks the providers,
 * highest service ranking first; the first that claims the account supplies its credentials. An
 * account nobody claims uses the secrets stored in {@code ./DMAcc}.
 *
 * <p>Fail closed: a provider that claims an account and then cannot serve it (the card was removed)
 * must throw {@link CredentialException}; the client then ends the session as an authentication
 * failure and never falls back to other credentials.
 * A DS provider names itself with the property type: {@code @CredentialSource("hsm")} next to its
 * {@code @Component(service = CredentialProvider.class)}.
 */
@ConsumerType
public interface CredentialProvider {
    /**
     * Service property naming the provider, e.g. {@code card}, for logs and targets. Providers set it with
     * {@link CredentialSource @CredentialSource}; the name stays here for readers and filters.
     */
    String SOURCE_PROPERTY = "dm.credential.source";

    /**
     * @param account a DM account as read from {@code ./DMAcc}
     * @return its credentials when this provider holds them, else empty
     * @throws CredentialException when this provider holds them but cannot serve them now
     */
    Optional<AccountCredentials> credentials(DmAccount account) throws CredentialException;
}

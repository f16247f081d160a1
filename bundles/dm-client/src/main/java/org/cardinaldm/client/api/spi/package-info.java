/**
 * Plugins of the device agent.
 *
 * <ul>
 * <li>{@link org.cardinaldm.client.api.spi.UserInteraction}: shows the server's user-interaction
 *     alerts 1100 to 1104 (display, confirm, text input, single and multiple choice; digest 1.9) to
 *     a person, or answers them by policy on a headless gateway.</li>
 * <li>{@link org.cardinaldm.client.api.spi.CredentialProvider}: holds an account's credentials
 *     somewhere the device cannot read them (a smart card): it computes the client's digests from
 *     a nonce and checks the server's, so the secret never reaches the device (digest 3).</li>
 * </ul>
 * Both are whiteboard services; the highest service ranking wins. Credential providers name
 * themselves with the {@link org.cardinaldm.client.api.spi.CredentialSource} property type. Since 1.2,
 * {@link org.cardinaldm.client.api.spi.AuthScheme#of} maps a DMAcc AAuthType for every credential store,
 * and {@link org.cardinaldm.client.api.spi.StateFile} keeps a provider's small state across restarts the
 * way the client keeps its own. Since 2.0.0 the kind of a {@link org.cardinaldm.client.api.spi.UserPrompt} is
 * {@link org.cardinaldm.syncml.api.model.UiAlertKind}, the one definition of the alerts 1100 to 1104 that the DM
 * server shares ({@code UserPrompt.Kind} is gone).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package org.cardinaldm.client.api.spi;

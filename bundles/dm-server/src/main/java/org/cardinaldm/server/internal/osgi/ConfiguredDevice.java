package org.cardinaldm.server.internal.osgi;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.DeviceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device registered from a factory configuration ({@code etc/org.cardinaldm.server.device-<name>.cfg}),
 * so that a distribution can ship a server that already knows its demo device. A device already in the
 * registry keeps its credentials unless {@code update=true}; the registry keeps digests only.
 */
@Component(service = {}, configurationPid = "org.cardinaldm.server.device",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = ConfiguredDevice.Config.class, factory = true)
public final class ConfiguredDevice {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredDevice.class);

    /** A device to register. */
    @ObjectClassDefinition(name = "Cardinal DM server: configured device")
    public @interface Config {
        /** @return the DevId */
        @AttributeDefinition(description = "DevId (the SyncHdr Source the device sends)")
        String dev_id();

        /** @return the device's scheme */
        @AttributeDefinition(description = "Scheme the device uses: md5, basic or hmac")
        String client_auth() default "md5";

        /** @return the device's user */
        @AttributeDefinition(description = "The device's user name; empty for the DevId")
        String client_user() default "";

        /** @return the device's password */
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "The device's password")
        String _client_password();

        /** @return the device's first nonce */
        @AttributeDefinition(description = "Nonce (base64) the device holds for its first credentials; empty for none")
        String client_nonce() default "";

        /** @return the server's scheme */
        @AttributeDefinition(description = "Scheme the server uses towards the device: md5, basic or hmac")
        String server_auth() default "md5";

        /** @return the server's name */
        @AttributeDefinition(description = "The server's name towards the device; empty for the ServerID")
        String server_user() default "";

        /** @return the server's password */
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "The server's password towards the device")
        String _server_password();

        /** @return the server's first nonce */
        @AttributeDefinition(description = "Nonce (base64) the server uses first; empty for the resynchronisation nonce")
        String server_nonce() default "";

        /** @return the push address */
        @AttributeDefinition(description = "Package-0 address, e.g. udp:127.0.0.1:2948; empty for none")
        String push_address() default "";

        /** @return whether to overwrite */
        @AttributeDefinition(description = "Replace the credentials of a device already registered")
        boolean update() default false;
    }

    /**
     * Registers the configured device (or updates it when asked).
     *
     * @param devices the registry
     * @param config the device
     */
    @Activate
    public ConfiguredDevice(@Reference DeviceManager devices, Config config) {
        String id = config.dev_id();
        DeviceRegistration reg = DeviceRegistration.builder(id)
                .client(scheme(config.client_auth()), config.client_user().isEmpty() ? id : config.client_user(),
                        config._client_password())
                .clientNonce(emptyToNull(config.client_nonce()))
                .server(scheme(config.server_auth()), emptyToNull(config.server_user()), config._server_password())
                .serverNonce(emptyToNull(config.server_nonce())).pushAddress(emptyToNull(config.push_address()))
                .build();
        if (devices.device(id).isEmpty()) {
            devices.register(reg);
        } else if (config.update()) {
            devices.updateCredentials(reg);
            LOG.info("Credentials of configured device {} replaced", id);
        } else {
            LOG.debug("Configured device {} is already registered", id);
        }
    }

    private static AuthScheme scheme(String text) {
        return AuthScheme.parse(text)
                .orElseThrow(() -> new IllegalArgumentException("unknown scheme " + text + " (md5, basic or hmac)"));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

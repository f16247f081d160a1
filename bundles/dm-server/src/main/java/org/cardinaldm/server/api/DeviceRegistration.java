package org.cardinaldm.server.api;

import java.util.Objects;

/**
 * What an operator supplies to register a device or to change its credentials. Build it with
 * {@link #builder(String)}. The passwords are only used to compute what the server stores: for md5 and
 * HMAC the server keeps B64(H(user ":" password)) and never the password; only a basic server password
 * (which the device needs in clear) is stored as given. {@link #toString()} never prints a password.
 *
 * @param deviceId the DevId
 * @param clientAuth the scheme the device uses towards the server
 * @param clientUser the device's user name
 * @param clientPassword the device's password
 * @param serverAuth the scheme the server uses towards the device
 * @param serverUser the server's name towards the device, or null for the server's ServerID
 * @param serverPassword the server's password towards this device (different for every device)
 * @param serverNonce the first nonce the server uses in its credentials (base64), or null for the
 *        resynchronisation nonce (four zero bytes)
 * @param clientNonce the nonce the device holds for its first credentials (base64, e.g. from its
 *        bootstrap), or null for a random one: the device's first package 1 is then challenged once
 * @param cardId the card identifier, or null
 * @param pushAddress the package-0 address, or null
 */
public record DeviceRegistration(String deviceId, AuthScheme clientAuth, String clientUser, String clientPassword,
        AuthScheme serverAuth, String serverUser, String serverPassword, String serverNonce, String clientNonce,
        String cardId, String pushAddress) {

    /** Checks the mandatory parts. */
    public DeviceRegistration {
        if (deviceId == null || deviceId.isBlank()) {
            throw new IllegalArgumentException("a device needs a DevId");
        }
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(serverAuth, "serverAuth");
        if (clientUser == null || clientUser.isEmpty()) {
            throw new IllegalArgumentException("a device needs a user name");
        }
        if (clientPassword == null || clientPassword.isEmpty()) {
            throw new IllegalArgumentException("a device needs a password");
        }
        if (serverPassword == null || serverPassword.isEmpty()) {
            throw new IllegalArgumentException("the server needs a password towards the device");
        }
    }

    /**
     * @param deviceId the DevId
     * @return a builder with md5 both ways and the DevId as the device's user name
     */
    public static Builder builder(String deviceId) {
        return new Builder(deviceId);
    }

    @Override
    public String toString() {
        return "DeviceRegistration[deviceId=" + deviceId + ", clientAuth=" + clientAuth + ", clientUser=" + clientUser
                + ", clientPassword=***, serverAuth=" + serverAuth + ", serverUser=" + serverUser
                + ", serverPassword=***, cardId=" + cardId + ", pushAddress=" + pushAddress + "]";
    }

    /** Builds a {@link DeviceRegistration}. */
    public static final class Builder {
        private final String deviceId;
        private AuthScheme clientAuth = AuthScheme.MD5;
        private String clientUser;
        private String clientPassword;
        private AuthScheme serverAuth = AuthScheme.MD5;
        private String serverUser;
        private String serverPassword;
        private String serverNonce;
        private String clientNonce;
        private String cardId;
        private String pushAddress;

        private Builder(String deviceId) {
            this.deviceId = deviceId;
            this.clientUser = deviceId;
        }

        /**
         * @param scheme the scheme the device uses
         * @param user its user name
         * @param password its password
         * @return this
         */
        public Builder client(AuthScheme scheme, String user, String password) {
            this.clientAuth = scheme;
            this.clientUser = user;
            this.clientPassword = password;
            return this;
        }

        /**
         * @param scheme the scheme the server uses towards the device
         * @param user the server's name, or null for the ServerID
         * @param password the server's password
         * @return this
         */
        public Builder server(AuthScheme scheme, String user, String password) {
            this.serverAuth = scheme;
            this.serverUser = user;
            this.serverPassword = password;
            return this;
        }

        /**
         * @param value the first server nonce (base64)
         * @return this
         */
        public Builder serverNonce(String value) {
            this.serverNonce = value;
            return this;
        }

        /**
         * @param value the nonce the device holds for its first credentials (base64)
         * @return this
         */
        public Builder clientNonce(String value) {
            this.clientNonce = value;
            return this;
        }

        /**
         * @param value the card identifier
         * @return this
         */
        public Builder cardId(String value) {
            this.cardId = value;
            return this;
        }

        /**
         * @param value the package-0 address
         * @return this
         */
        public Builder pushAddress(String value) {
            this.pushAddress = value;
            return this;
        }

        /** @return the registration */
        public DeviceRegistration build() {
            return new DeviceRegistration(deviceId, clientAuth, clientUser, clientPassword, serverAuth, serverUser,
                    serverPassword, serverNonce, clientNonce, cardId, pushAddress);
        }
    }
}

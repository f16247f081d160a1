package org.cardinaldm.server.api.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.Device;

/**
 * Everything the registry stores about a device, secrets included. Stores persist every field;
 * {@link #toString()} prints none of the secrets or nonces.
 *
 * <p>Secrets are stored as {@code B64(H(user ":" password))} (H = MD5), which is all md5, HMAC and
 * basic verification of the device and md5/HMAC/package-0 digests by the server need. Only a basic
 * server password is stored in clear, because the device needs it so.
 *
 * @param deviceId the DevId
 * @param cardId the card identifier, or null
 * @param devInfo values reported by the device, keyed by URI
 * @param firstContact the first authenticated session, or null
 * @param lastContact the last authenticated session, or null
 * @param clientAuth the scheme the device uses
 * @param clientUser the device's user name
 * @param clientDigest B64(H(clientUser ":" password))
 * @param clientNonce the NextNonce (base64) the server gave the device for its next credentials
 * @param serverAuth the scheme the server uses towards the device
 * @param serverUser the server's name towards the device
 * @param serverDigest B64(H(serverUser ":" password))
 * @param serverPassword the server password in clear, only with {@link AuthScheme#BASIC}, else null
 * @param serverNonce the NextNonce (base64) the device gave the server, or null
 * @param enabled false when disabled by an operator
 * @param authFailures failures since the last success
 * @param totalAuthFailures failures ever
 * @param lockedUntil end of the lock-out, or null
 * @param pushAddress the package-0 address, or null
 */
public record DeviceRecord(String deviceId, String cardId, Map<String, String> devInfo, Instant firstContact,
        Instant lastContact, AuthScheme clientAuth, String clientUser, String clientDigest, String clientNonce,
        AuthScheme serverAuth, String serverUser, String serverDigest, String serverPassword, String serverNonce,
        boolean enabled, int authFailures, int totalAuthFailures, Instant lockedUntil, String pushAddress) {

    /** Checks the mandatory parts and copies the map. */
    public DeviceRecord {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(clientUser, "clientUser");
        Objects.requireNonNull(clientDigest, "clientDigest");
        Objects.requireNonNull(serverAuth, "serverAuth");
        Objects.requireNonNull(serverUser, "serverUser");
        Objects.requireNonNull(serverDigest, "serverDigest");
        devInfo = devInfo == null ? Map.of() : Map.copyOf(devInfo);
    }

    /** @return the operator's view, without secrets */
    public Device toDevice() {
        return new Device(deviceId, cardId, devInfo, firstContact, lastContact, clientAuth, clientUser, serverAuth,
                serverUser, enabled, authFailures, totalAuthFailures, lockedUntil, pushAddress);
    }

    /** @return a builder holding this record's values */
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String toString() {
        return "DeviceRecord[deviceId=" + deviceId + ", cardId=" + cardId + ", clientAuth=" + clientAuth
                + ", clientUser=" + clientUser + ", serverAuth=" + serverAuth + ", serverUser=" + serverUser
                + ", enabled=" + enabled + ", authFailures=" + authFailures + ", lockedUntil=" + lockedUntil + "]";
    }

    /** Changes some fields of a {@link DeviceRecord}. */
    public static final class Builder {
        private String deviceId;
        private String cardId;
        private Map<String, String> devInfo;
        private Instant firstContact;
        private Instant lastContact;
        private AuthScheme clientAuth;
        private String clientUser;
        private String clientDigest;
        private String clientNonce;
        private AuthScheme serverAuth;
        private String serverUser;
        private String serverDigest;
        private String serverPassword;
        private String serverNonce;
        private boolean enabled;
        private int authFailures;
        private int totalAuthFailures;
        private Instant lockedUntil;
        private String pushAddress;

        private Builder(DeviceRecord r) {
            deviceId = r.deviceId;
            cardId = r.cardId;
            devInfo = r.devInfo;
            firstContact = r.firstContact;
            lastContact = r.lastContact;
            clientAuth = r.clientAuth;
            clientUser = r.clientUser;
            clientDigest = r.clientDigest;
            clientNonce = r.clientNonce;
            serverAuth = r.serverAuth;
            serverUser = r.serverUser;
            serverDigest = r.serverDigest;
            serverPassword = r.serverPassword;
            serverNonce = r.serverNonce;
            enabled = r.enabled;
            authFailures = r.authFailures;
            totalAuthFailures = r.totalAuthFailures;
            lockedUntil = r.lockedUntil;
            pushAddress = r.pushAddress;
        }

        /** @param v the card id @return this */
        public Builder cardId(String v) {
            cardId = v;
            return this;
        }

        /** @param v the reported values @return this */
        public Builder devInfo(Map<String, String> v) {
            devInfo = v;
            return this;
        }

        /** @param v the first contact @return this */
        public Builder firstContact(Instant v) {
            firstContact = v;
            return this;
        }

        /** @param v the last contact @return this */
        public Builder lastContact(Instant v) {
            lastContact = v;
            return this;
        }

        /**
         * @param scheme the device's scheme
         * @param user its user name
         * @param digest B64(H(user ":" password))
         * @return this
         */
        public Builder client(AuthScheme scheme, String user, String digest) {
            clientAuth = scheme;
            clientUser = user;
            clientDigest = digest;
            return this;
        }

        /** @param v the client nonce (base64) @return this */
        public Builder clientNonce(String v) {
            clientNonce = v;
            return this;
        }

        /**
         * @param scheme the server's scheme
         * @param user the server's name
         * @param digest B64(H(user ":" password))
         * @param password the clear password (basic only), or null
         * @return this
         */
        public Builder server(AuthScheme scheme, String user, String digest, String password) {
            serverAuth = scheme;
            serverUser = user;
            serverDigest = digest;
            serverPassword = password;
            return this;
        }

        /** @param v the server nonce (base64) @return this */
        public Builder serverNonce(String v) {
            serverNonce = v;
            return this;
        }

        /** @param v enabled or not @return this */
        public Builder enabled(boolean v) {
            enabled = v;
            return this;
        }

        /** @param v failures since the last success @return this */
        public Builder authFailures(int v) {
            authFailures = v;
            return this;
        }

        /** @param v failures ever @return this */
        public Builder totalAuthFailures(int v) {
            totalAuthFailures = v;
            return this;
        }

        /** @param v end of the lock-out, or null @return this */
        public Builder lockedUntil(Instant v) {
            lockedUntil = v;
            return this;
        }

        /** @param v the package-0 address @return this */
        public Builder pushAddress(String v) {
            pushAddress = v;
            return this;
        }

        /** @return the record */
        public DeviceRecord build() {
            return new DeviceRecord(deviceId, cardId, devInfo, firstContact, lastContact, clientAuth, clientUser,
                    clientDigest, clientNonce, serverAuth, serverUser, serverDigest, serverPassword, serverNonce,
                    enabled, authFailures, totalAuthFailures, lockedUntil, pushAddress);
        }
    }
}

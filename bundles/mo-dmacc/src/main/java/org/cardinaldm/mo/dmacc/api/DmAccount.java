package org.cardinaldm.mo.dmacc.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.api.NodeUri;

/**
 * One DM server account, {@code ./DMAcc/<X>} (digest 5.2). Immutable; {@link #toString()} never
 * shows credentials. Build one with {@link #builder(String, String)}.
 */
public final class DmAccount {
    private final String nodeName;
    private final String serverId;
    private final String name;
    private final String prefConRef;
    private final List<String> toConRefs;
    private final List<AppAddress> addresses;
    private final String authPreference;
    private final List<AppAuth> credentials;

    private DmAccount(Builder b) {
        this.nodeName = b.nodeName;
        this.serverId = b.serverId;
        this.name = b.name;
        this.prefConRef = b.prefConRef;
        this.toConRefs = List.copyOf(b.toConRefs);
        this.addresses = List.copyOf(b.addresses);
        this.authPreference = b.authPreference;
        this.credentials = List.copyOf(b.credentials);
    }

    /**
     * @param nodeName the account's {@code <X>} name below {@code ./DMAcc}
     * @param serverId its {@code ServerID}
     * @return a builder
     */
    public static Builder builder(String nodeName, String serverId) {
        return new Builder(nodeName, serverId);
    }

    /** @return the {@code <X>} node name */
    public String nodeName() {
        return nodeName;
    }

    /** @return the account's node, {@code ./DMAcc/<X>} */
    public NodeUri uri() {
        return NodeUri.of(DmAccounts.ROOT).child(nodeName);
    }

    /** @return {@code ServerID}, the id the server is known by in ACLs and notifications */
    public String serverId() {
        return serverId;
    }

    /** @return {@code Name}, empty when absent */
    public String name() {
        return name;
    }

    /** @return {@code PrefConRef}, empty when absent */
    public String prefConRef() {
        return prefConRef;
    }

    /** @return the {@code ToConRef/<X>/ConRef} values, in tree order */
    public List<String> toConRefs() {
        return toConRefs;
    }

    /** @return the {@code AppAddr} entries, in tree order */
    public List<AppAddress> addresses() {
        return addresses;
    }

    /** @return {@code AAuthPref}, empty when absent (use the last negotiated type) */
    public String authPreference() {
        return authPreference;
    }

    /** @return {@code AAuthPref} as a type, when it names a known one */
    public Optional<AuthType> preferredAuthType() {
        return AuthType.fromToken(authPreference);
    }

    /** @return the {@code AppAuth} entries, in tree order */
    public List<AppAuth> credentials() {
        return credentials;
    }

    /**
     * @param level an authentication level
     * @return the first credentials of that level, e.g. {@link AuthLevel#CLCRED} for what the client sends
     */
    public Optional<AppAuth> credential(AuthLevel level) {
        return credentials.stream().filter(c -> c.level() == level).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DmAccount)) {
            return false;
        }
        DmAccount a = (DmAccount) o;
        return nodeName.equals(a.nodeName) && serverId.equals(a.serverId) && name.equals(a.name)
                && prefConRef.equals(a.prefConRef) && toConRefs.equals(a.toConRefs) && addresses.equals(a.addresses)
                && authPreference.equals(a.authPreference) && credentials.equals(a.credentials);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeName, serverId, name, prefConRef, toConRefs, addresses, authPreference, credentials);
    }

    /** @return node name, ServerID, addresses and credential levels; never secrets */
    @Override
    public String toString() {
        return "DmAccount[" + nodeName + " server=" + serverId + " addresses=" + addresses + " credentials="
                + credentials + "]";
    }

    /** Builds a {@link DmAccount}; every optional part defaults to empty. */
    public static final class Builder {
        private final String nodeName;
        private final String serverId;
        private String name = "";
        private String prefConRef = "";
        private final List<String> toConRefs = new ArrayList<>();
        private final List<AppAddress> addresses = new ArrayList<>();
        private String authPreference = "";
        private final List<AppAuth> credentials = new ArrayList<>();

        private Builder(String nodeName, String serverId) {
            this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
            this.serverId = Objects.requireNonNull(serverId, "serverId");
        }

        /** @param value {@code Name} @return this */
        public Builder name(String value) {
            name = Objects.requireNonNull(value, "name");
            return this;
        }

        /** @param value {@code PrefConRef} @return this */
        public Builder prefConRef(String value) {
            prefConRef = Objects.requireNonNull(value, "prefConRef");
            return this;
        }

        /** @param value a {@code ToConRef/<X>/ConRef} @return this */
        public Builder toConRef(String value) {
            toConRefs.add(Objects.requireNonNull(value, "toConRef"));
            return this;
        }

        /** @param value an {@code AppAddr} entry @return this */
        public Builder address(AppAddress value) {
            addresses.add(Objects.requireNonNull(value, "address"));
            return this;
        }

        /** @param value {@code AAuthPref} @return this */
        public Builder authPreference(String value) {
            authPreference = Objects.requireNonNull(value, "authPreference");
            return this;
        }

        /** @param value an {@code AppAuth} entry @return this */
        public Builder credential(AppAuth value) {
            credentials.add(Objects.requireNonNull(value, "credential"));
            return this;
        }

        /** @return the account */
        public DmAccount build() {
            return new DmAccount(this);
        }
    }
}

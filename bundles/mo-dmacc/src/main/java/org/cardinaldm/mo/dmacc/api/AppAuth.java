package org.cardinaldm.mo.dmacc.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * One {@code AppAuth/<X>} entry of an account: credentials of one level. Immutable.
 * {@link #toString()} never shows the secret or the data.
 */
public final class AppAuth {
    private final String nodeName;
    private final AuthLevel level;
    private final AuthType type;
    private final String name;
    private final String secret;
    private final byte[] data;

    private AppAuth(String nodeName, AuthLevel level, AuthType type, String name, String secret, byte[] data) {
        this.nodeName = nodeName;
        this.level = level;
        this.type = type;
        this.name = name;
        this.secret = secret;
        this.data = data;
    }

    /**
     * @param nodeName the {@code <X>} name below {@code AppAuth}
     * @param level {@code AAuthLevel}
     * @param type {@code AAuthType}
     * @param name {@code AAuthName}, empty when absent
     * @param secret {@code AAuthSecret}, empty when absent
     * @param data {@code AAuthData} (the nonce for digest types), empty when absent; copied
     * @return the credentials
     */
    public static AppAuth of(String nodeName, AuthLevel level, AuthType type, String name, String secret, byte[] data) {
        return new AppAuth(Objects.requireNonNull(nodeName, "nodeName"), Objects.requireNonNull(level, "level"),
                Objects.requireNonNull(type, "type"), Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(secret, "secret"), Objects.requireNonNull(data, "data").clone());
    }

    /** @return the {@code <X>} node name */
    public String nodeName() {
        return nodeName;
    }

    /** @return {@code AAuthLevel} */
    public AuthLevel level() {
        return level;
    }

    /** @return {@code AAuthType} */
    public AuthType type() {
        return type;
    }

    /** @return {@code AAuthName}, empty when absent */
    public String name() {
        return name;
    }

    /** @return {@code AAuthSecret}, empty when absent; never log it */
    public String secret() {
        return secret;
    }

    /** @return a copy of {@code AAuthData}, empty when absent; never log it */
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AppAuth)) {
            return false;
        }
        AppAuth a = (AppAuth) o;
        return nodeName.equals(a.nodeName) && level == a.level && type == a.type && name.equals(a.name)
                && secret.equals(a.secret) && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeName, level, type, name, secret) * 31 + Arrays.hashCode(data);
    }

    /** @return level, type and name; the secret and data only as "set" or "empty" */
    @Override
    public String toString() {
        return "AppAuth[" + nodeName + " " + level + " " + type + (name.isEmpty() ? "" : " name=" + name)
                + " secret=" + (secret.isEmpty() ? "empty" : "set") + " data=" + (data.length == 0 ? "empty" : "set") + "]";
    }
}

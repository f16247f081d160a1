package org.cardinaldm.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable access control list in the DM 1.2 grammar (OMA-TS-DM_TND-V1_2 ACL; digest 5.6):
 * {@code Get=*&Replace=server1+server2}.
 *
 * <p>An entry of {@code *} grants the command to every server and overrides explicit ids. An empty
 * ACL means "inherit the whole ACL of the nearest ancestor that has one"; resolving that is the
 * tree's job. Entries for the same command are merged; the rendered form lists commands in the
 * order Add, Delete, Exec, Get, Replace and ids in the order first seen.
 */
public final class Acl {
    /** The wildcard server identifier. */
    public static final String ANY = "*";

    private static final Acl EMPTY = new Acl(new EnumMap<>(AclCommand.class));

    private final Map<AclCommand, Set<String>> entries;

    private Acl(EnumMap<AclCommand, Set<String>> entries) {
        this.entries = entries;
    }

    /** @return the empty ACL ("no value": inherit) */
    public static Acl empty() {
        return EMPTY;
    }

    /**
     * Parses an ACL sent by a peer.
     *
     * @param text the ACL, possibly empty
     * @return the ACL
     * @throws DmException 400 when it breaks the grammar
     */
    public static Acl parse(String text) throws DmException {
        try {
            return of(text);
        } catch (IllegalArgumentException e) {
            throw new DmException(StatusCode.BAD_REQUEST, e.getMessage());
        }
    }

    /**
     * Parses an ACL written in code or configuration.
     *
     * @param text the ACL, possibly empty
     * @return the ACL
     * @throws IllegalArgumentException when it breaks the grammar
     */
    public static Acl of(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            return EMPTY;
        }
        EnumMap<AclCommand, Set<String>> map = new EnumMap<>(AclCommand.class);
        for (String entry : text.split("&", -1)) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("ACL entry without '<command>=': '" + abbreviate(entry) + "'");
            }
            String command = entry.substring(0, eq);
            AclCommand cmd = AclCommand.fromToken(command).orElseThrow(
                    () -> new IllegalArgumentException("Unknown ACL command '" + abbreviate(command) + "'"));
            String ids = entry.substring(eq + 1);
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("ACL entry " + cmd + " names no server");
            }
            Set<String> set = map.computeIfAbsent(cmd, k -> new LinkedHashSet<>());
            for (String id : ids.split("\\+", -1)) {
                checkServerId(id);
                set.add(id);
            }
        }
        return new Acl(freeze(map));
    }

    private static void checkServerId(String id) {
        if (id.equals(ANY)) {
            return;
        }
        if (id.isEmpty()) {
            throw new IllegalArgumentException("ACL has an empty server identifier");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '=' || c == '&' || c == '*' || c == '+' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("ACL server identifier has a forbidden character at position " + i);
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static EnumMap<AclCommand, Set<String>> freeze(EnumMap<AclCommand, Set<String>> map) {
        EnumMap<AclCommand, Set<String>> frozen = new EnumMap<>(AclCommand.class);
        map.forEach((k, v) -> {
            if (!v.isEmpty()) {
                frozen.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v)));
            }
        });
        return frozen;
    }

    /** @return true for "no value" */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * @param command a command
     * @return the server ids granted that command (may contain {@code *}); empty when none
     */
    public Set<String> serversFor(AclCommand command) {
        return entries.getOrDefault(command, Set.of());
    }

    /**
     * @param command a command
     * @param serverId a server identifier
     * @return true when this ACL grants the command to that server, directly or through {@code *}
     */
    public boolean permits(AclCommand command, String serverId) {
        Set<String> ids = entries.get(command);
        return ids != null && (ids.contains(ANY) || ids.contains(serverId));
    }

    /**
     * @param command a command
     * @param serverIds server ids or {@code *} to add to its entry
     * @return a new ACL with the ids granted
     */
    public Acl with(AclCommand command, String... serverIds) {
        EnumMap<AclCommand, Set<String>> map = copy();
        Set<String> set = map.computeIfAbsent(command, k -> new LinkedHashSet<>());
        for (String id : serverIds) {
            checkServerId(id);
            set.add(id);
        }
        return new Acl(freeze(map));
    }

    /**
     * Removes a server everywhere, as DM requires when a server account is deleted.
     *
     * @param serverId the server id to remove
     * @return a new ACL without it (commands left with no id disappear)
     */
    public Acl withoutServer(String serverId) {
        EnumMap<AclCommand, Set<String>> map = copy();
        map.values().forEach(s -> s.remove(serverId));
        return new Acl(freeze(map));
    }

    private EnumMap<AclCommand, Set<String>> copy() {
        EnumMap<AclCommand, Set<String>> map = new EnumMap<>(AclCommand.class);
        entries.forEach((k, v) -> map.put(k, new LinkedHashSet<>(v)));
        return map;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Acl && ((Acl) o).entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** @return the ACL in DM grammar, e.g. {@code Get=*&Replace=a+b}; empty string for "no value" */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        entries.forEach((cmd, ids) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(cmd.token()).append('=').append(String.join("+", ids));
        });
        return sb.toString();
    }
}

package org.cardinaldm.syncml.api.model;

/**
 * MetInf {@code Anchor} (data synchronisation; kept for completeness).
 *
 * @param last the Last anchor, or null
 * @param next the Next anchor, never null in valid documents but tolerated as null
 */
public record Anchor(String last, String next) {
}

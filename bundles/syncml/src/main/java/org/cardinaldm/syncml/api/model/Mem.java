package org.cardinaldm.syncml.api.model;

/**
 * MetInf {@code Mem} (data synchronisation; kept for completeness).
 *
 * @param sharedMem whether the empty SharedMem flag is present
 * @param freeMem the FreeMem value, or null
 * @param freeId the FreeID value, or null
 */
public record Mem(boolean sharedMem, Long freeMem, Long freeId) {
}

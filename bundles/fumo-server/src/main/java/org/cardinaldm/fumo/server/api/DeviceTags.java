package org.cardinaldm.fumo.server.api;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Operator tags on registered devices ({@code lab}, {@code eu-west}, {@code pilot}), which campaign filters
 * select on. Tags match {@link DeviceFilter#TAG}; a device carries at most {@link #MAX_TAGS}. Tags are kept in
 * the campaign store and removed with the device (JDBC) or ignored once the device is gone (in memory).
 */
@ProviderType
public interface DeviceTags {
    /** The most tags one device carries. */
    int MAX_TAGS = 32;

    /**
     * @param deviceId a DevId
     * @return its tags, sorted
     */
    Set<String> tags(String deviceId);

    /**
     * @param deviceId a registered DevId
     * @param tags tags to add
     * @return the device's tags after the change
     * @throws IllegalArgumentException when the device is unknown, a tag is malformed or there would be too many
     */
    Set<String> add(String deviceId, Collection<String> tags);

    /**
     * @param deviceId a DevId
     * @param tags tags to remove
     * @return the device's tags after the change
     */
    Set<String> remove(String deviceId, Collection<String> tags);

    /**
     * @param tag a tag
     * @return the DevIds carrying it, sorted
     */
    List<String> devicesWith(String tag);
}

package org.cardinaldm.mo.dmacc.api;

import java.util.List;
import java.util.Objects;

/**
 * One {@code AppAddr/<X>} entry of an account: the server address, its type and its ports.
 * Immutable.
 */
public final class AppAddress {
    private final String nodeName;
    private final String address;
    private final String addressType;
    private final List<Integer> ports;

    private AppAddress(String nodeName, String address, String addressType, List<Integer> ports) {
        this.nodeName = nodeName;
        this.address = address;
        this.addressType = addressType;
        this.ports = ports;
    }

    /**
     * @param nodeName the {@code <X>} name below {@code AppAddr}
     * @param address {@code Addr}, e.g. {@code https://dms.example.com/dm}
     * @param addressType {@code AddrType}: {@code URI}, {@code IPv4} or {@code IPv6}
     * @param ports the {@code Port/<X>/PortNbr} values, possibly none
     * @return the address
     */
    public static AppAddress of(String nodeName, String address, String addressType, List<Integer> ports) {
        return new AppAddress(Objects.requireNonNull(nodeName, "nodeName"), Objects.requireNonNull(address, "address"),
                Objects.requireNonNull(addressType, "addressType"), List.copyOf(ports));
    }

    /** @return the {@code <X>} node name */
    public String nodeName() {
        return nodeName;
    }

    /** @return {@code Addr} */
    public String address() {
        return address;
    }

    /** @return {@code AddrType} ({@code URI} when the node is absent) */
    public String addressType() {
        return addressType;
    }

    /** @return the port numbers, in tree order */
    public List<Integer> ports() {
        return ports;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AppAddress)) {
            return false;
        }
        AppAddress a = (AppAddress) o;
        return nodeName.equals(a.nodeName) && address.equals(a.address) && addressType.equals(a.addressType)
                && ports.equals(a.ports);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeName, address, addressType, ports);
    }

    @Override
    public String toString() {
        return "AppAddress[" + nodeName + " " + addressType + " " + address + (ports.isEmpty() ? "" : " ports " + ports) + "]";
    }
}

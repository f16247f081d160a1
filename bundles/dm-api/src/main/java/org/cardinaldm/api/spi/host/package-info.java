/**
 * Facts about the host Cardinal runs on, for management objects that describe the device
 * (DevInfo and DevDetail, OMA-TS-DM_StdObj-V1_2 §7.1.3.2 and §7.1.3.3) when configuration leaves a
 * value empty: the first line of a Linux identity file ({@code /etc/machine-id}, the DMI/SMBIOS
 * files under {@code /sys/class/dmi/id}, the device-tree model), a Java system property, the JVM
 * locale. {@link org.cardinaldm.api.spi.host.HostFacts#system()} reads the real host; tests and
 * plugins describe any other host by implementing the interface.
 *
 * <p>What a fact means for a node (which file wins, which firmware placeholder to pass over) stays
 * with the plugin that serves the node. {@link org.cardinaldm.api.spi.host.DeviceClass} (1.1) reads the device class
 * signed packages are matched against.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.api.spi.host;

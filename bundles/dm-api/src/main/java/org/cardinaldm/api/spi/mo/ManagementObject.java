package org.cardinaldm.api.spi.mo;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service properties of a {@link ManagementObjectPlugin}, declared once so that plugin authors
 * cannot misspell them. Annotate the plugin component with it:
 * <pre>{@code
 * @Component(service = ManagementObjectPlugin.class)
 * @ManagementObject(root = "./DevDetail", id = "urn:oma:mo:oma-dm-devdetail:1.0")
 * public final class DevDetailPlugin implements ManagementObjectPlugin { … }
 * }</pre>
 */
@ComponentPropertyType
public @interface ManagementObject {
    /** Prefix of the generated property names. */
    String PREFIX_ = "dm.mo.";

    /** @return the subtree root this plugin owns, e.g. {@code ./DevDetail}: property {@code dm.mo.root} */
    String root();

    /** @return the MO identifier, e.g. {@code urn:oma:mo:oma-dm-devdetail:1.0}: property {@code dm.mo.id} */
    String id() default "";
}

package org.cardinaldm.syncml.api.model;

import java.util.Objects;

/**
 * A SyncBody child that DM does not use (Sync, Put, Map, Search, ...), kept as an element tree so
 * that it survives a decode and encode. The element is in the SyncML namespace
 * ({@link org.cardinaldm.syncml.api.Namespaces#SYNCML_1_2} stands for every SyncML version).
 *
 * @param element the whole command element
 */
public record ExtensionCommand(XmlElement element) implements Command {
    /** Checks for null. */
    public ExtensionCommand {
        Objects.requireNonNull(element, "element");
    }

    /** @return the trimmed CmdID child, or an empty string when there is none */
    @Override
    public String cmdId() {
        return element.element("CmdID").map(e -> e.textContent().trim()).orElse("");
    }

    @Override
    public String elementName() {
        return element.name();
    }
}

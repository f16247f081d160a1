package org.cardinaldm.smartcard.dm.internal.mo;

import java.util.Map;

import org.cardinaldm.smartcard.dm.internal.CardAccess;
import org.osgi.util.converter.Converters;

/** Creates the plugin for tests in other packages. */
public final class SmartCardPluginAccess {
    private SmartCardPluginAccess() {
    }

    public static SmartCardPlugin create(CardAccess access) {
        return new SmartCardPlugin(access, Converters.standardConverter().convert(Map.of()).to(SmartCardPlugin.Config.class));
    }
}

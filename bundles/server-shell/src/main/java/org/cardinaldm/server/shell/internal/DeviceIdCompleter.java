package org.cardinaldm.server.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceManager;

/** Completes the DevIds of registered devices. */
@Service
public class DeviceIdCompleter implements Completer {
    @Reference(optional = true)
    DeviceManager devices;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        if (devices == null) {
            return -1;
        }
        StringsCompleter delegate = new StringsCompleter();
        for (Device d : devices.devices()) {
            delegate.getStrings().add(d.deviceId());
        }
        return delegate.complete(session, commandLine, candidates);
    }
}

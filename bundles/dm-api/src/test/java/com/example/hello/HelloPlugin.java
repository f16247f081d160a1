package com.example.hello;

import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.ManagementObject;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.mo.MoContext;
import org.osgi.service.component.annotations.Component;

/** ./Hello/Greeting, a read-only chr leaf: the smallest complete MO plugin (dm-api README). */
@Component(service = ManagementObjectPlugin.class)
@ManagementObject(root = "./Hello")
public final class HelloPlugin implements ManagementObjectPlugin {
    private static final NodeUri ROOT = NodeUri.of("./Hello");
    private static final NodeUri GREETING = ROOT.child("Greeting");

    @Override
    public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
        if (uri.equals(ROOT)) {
            return Optional.of(NodeInfo.interior(ROOT).acl(Acl.of("Get=*")).build());
        }
        if (uri.equals(GREETING)) {
            return Optional.of(NodeInfo.leaf(GREETING, Format.CHR).type(NodeValue.TEXT_PLAIN).build());
        }
        return Optional.empty(); // the engine answers 404
    }

    @Override
    public List<String> children(NodeUri uri, MoContext context) throws DmException {
        if (uri.equals(ROOT)) {
            return List.of("Greeting");
        }
        throw new DmException(StatusCode.NOT_FOUND, "No interior node " + uri);
    }

    @Override
    public NodeValue get(NodeUri uri, MoContext context) throws DmException {
        if (uri.equals(GREETING)) {
            return NodeValue.ofString("Hello from a plugin");
        }
        throw new DmException(StatusCode.NOT_FOUND, "No leaf " + uri);
    }
}

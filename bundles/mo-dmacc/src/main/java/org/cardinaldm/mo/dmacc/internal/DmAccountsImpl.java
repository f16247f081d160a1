package org.cardinaldm.mo.dmacc.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.mo.dmacc.api.AppAddress;
import org.cardinaldm.mo.dmacc.api.AppAuth;
import org.cardinaldm.mo.dmacc.api.AuthLevel;
import org.cardinaldm.mo.dmacc.api.AuthType;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.mo.dmacc.api.DmAccounts;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code ./DMAcc} through the DM tree as the system principal (the only one that may read
 * AAuthSecret and AAuthData) on every call. An account without AppID {@code w7} or without a
 * ServerID is left out, as are AppAddr and AppAuth entries missing a mandatory leaf or holding an
 * unknown value; each is reported at DEBUG, by node name only.
 */
@Component(service = DmAccounts.class)
public final class DmAccountsImpl implements DmAccounts {
    private static final Logger LOG = LoggerFactory.getLogger(DmAccountsImpl.class);
    private static final NodeUri ROOT_URI = NodeUri.of(ROOT);

    private final DmTree tree;

    /** @param tree the DM tree */
    @Activate
    public DmAccountsImpl(@Reference DmTree tree) {
        this.tree = Objects.requireNonNull(tree, "tree");
    }

    @Override
    public List<DmAccount> accounts() throws DmException {
        TreeAccess t = tree.as(Principal.system());
        if (!t.exists(ROOT_URI)) {
            return List.of();
        }
        List<DmAccount> result = new ArrayList<>();
        for (String name : t.children(ROOT_URI)) {
            read(t, ROOT_URI.child(name)).ifPresent(result::add);
        }
        return List.copyOf(result);
    }

    @Override
    public Optional<DmAccount> byServerId(String serverId) throws DmException {
        Objects.requireNonNull(serverId, "serverId");
        return accounts().stream().filter(a -> a.serverId().equals(serverId)).findFirst();
    }

    private static Optional<DmAccount> read(TreeAccess t, NodeUri acc) throws DmException {
        if (!t.describe(acc).isInterior()) {
            return Optional.empty();
        }
        Optional<String> appId = text(t, acc.child("AppID"));
        Optional<String> serverId = text(t, acc.child("ServerID"));
        if (appId.isEmpty() || !appId.get().equals(APP_ID) || serverId.isEmpty() || serverId.get().isEmpty()) {
            LOG.debug("Skipping DM account {}: no AppID w7 or no ServerID", acc.name());
            return Optional.empty();
        }
        DmAccount.Builder b = DmAccount.builder(acc.name(), serverId.get())
                .name(text(t, acc.child("Name")).orElse(""))
                .prefConRef(text(t, acc.child("PrefConRef")).orElse(""))
                .authPreference(text(t, acc.child("AAuthPref")).orElse(""));
        for (NodeUri ref : entries(t, acc.child("ToConRef"))) {
            text(t, ref.child("ConRef")).ifPresent(b::toConRef);
        }
        for (NodeUri addr : entries(t, acc.child("AppAddr"))) {
            Optional<String> address = text(t, addr.child("Addr"));
            if (address.isEmpty()) {
                LOG.debug("Skipping address {} of DM account {}: no Addr", addr.name(), acc.name());
                continue;
            }
            List<Integer> ports = new ArrayList<>();
            for (NodeUri port : entries(t, addr.child("Port"))) {
                text(t, port.child("PortNbr")).flatMap(DmAccountsImpl::port).ifPresent(ports::add);
            }
            b.address(AppAddress.of(addr.name(), address.get(), text(t, addr.child("AddrType")).orElse("URI"), ports));
        }
        for (NodeUri auth : entries(t, acc.child("AppAuth"))) {
            Optional<AuthLevel> level = text(t, auth.child("AAuthLevel")).flatMap(AuthLevel::fromToken);
            Optional<AuthType> type = text(t, auth.child("AAuthType")).flatMap(AuthType::fromToken);
            if (level.isEmpty() || type.isEmpty()) {
                LOG.debug("Skipping credentials {} of DM account {}: AAuthLevel or AAuthType missing or unknown",
                        auth.name(), acc.name());
                continue;
            }
            String secret = value(t, auth.child("AAuthSecret")).map(NodeValue::asString).orElse("");
            byte[] data = value(t, auth.child("AAuthData")).map(DmAccountsImpl::bytes).orElse(new byte[0]);
            b.credential(AppAuth.of(auth.name(), level.get(), type.get(),
                    text(t, auth.child("AAuthName")).orElse(""), secret, data));
        }
        return Optional.of(b.build());
    }

    private static byte[] bytes(NodeValue v) {
        if (v.format() == Format.B64) {
            try {
                return Base64.getMimeDecoder().decode(v.asString());
            } catch (IllegalArgumentException e) {
                return new byte[0];
            }
        }
        return v.data();
    }

    private static Optional<Integer> port(String text) {
        try {
            int p = Integer.parseInt(text.trim());
            return p >= 0 && p <= 0xFFFF ? Optional.of(p) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<NodeUri> entries(TreeAccess t, NodeUri interior) throws DmException {
        if (!t.exists(interior) || !t.describe(interior).isInterior()) {
            return List.of();
        }
        List<NodeUri> out = new ArrayList<>();
        for (String name : t.children(interior)) {
            out.add(interior.child(name));
        }
        return out;
    }

    private static Optional<String> text(TreeAccess t, NodeUri leaf) throws DmException {
        return value(t, leaf).map(NodeValue::asString);
    }

    private static Optional<NodeValue> value(TreeAccess t, NodeUri leaf) throws DmException {
        try {
            NodeValue v = t.get(leaf);
            return v.isInterior() ? Optional.empty() : Optional.of(v);
        } catch (DmException e) {
            if (e.status() == StatusCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}

package org.cardinaldm.fumo.core.internal;

import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.ddf.AccessType;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.cardinaldm.api.spi.ddf.Occurrence;
import org.cardinaldm.fumo.api.FumoAlerts;
import org.cardinaldm.fumo.core.internal.InstanceRecord.Operation;

/**
 * The FUMO 1.0 tree over the engine's instances, and its DDF ({@link #description}); the two agree node for
 * node ({@code FumoTreeTest} checks it).
 * <pre>
 * &lt;root&gt;                       node  Get, ACL Get=*, permanent
 *   &lt;x&gt;                        node  Get, Type urn:oma:mo:oma-fumo:1.0, ACL Exec=*&amp;Get=*&amp;Replace=*, one per update agent
 *     PkgName                  chr   Get Replace
 *     PkgVersion               chr   Get Replace
 *     Download                 node  Exec, Get
 *       PkgURL                 chr   Get, Replace
 *     Update                   node  Exec, Get
 *       PkgData                bin   Replace (no Get)
 *     DownloadAndUpdate        node  Exec, Get
 *       PkgURL                 chr   Get, Replace
 *     State                    int   Get
 *     Ext                      node  Get
 *       UserConsent            bool  Get, Replace   (Cardinal: ask the user before updating)
 * </pre>
 */
final class FumoTree {
    static final Acl ROOT_ACL = Acl.of("Get=*");
    static final Acl INSTANCE_ACL = Acl.of("Exec=*&Get=*&Replace=*");
    private static final List<String> INSTANCE_CHILDREN = List.of("PkgName", "PkgVersion", "Download", "Update",
            "DownloadAndUpdate", "State", "Ext");

    private final FumoEngine engine;

    FumoTree(FumoEngine engine) {
        this.engine = engine;
    }

    private NodeUri root() {
        return NodeUri.of(engine.root());
    }

    /** @return the segments below the root, or null when {@code uri} is outside it */
    private List<String> rel(NodeUri uri) {
        NodeUri r = root();
        if (!uri.startsWith(r)) {
            return null;
        }
        List<String> all = uri.segments();
        return all.subList(r.segments().size(), all.size());
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#describe */
    Optional<NodeInfo> describe(NodeUri uri) {
        List<String> r = rel(uri);
        if (r == null) {
            return Optional.empty();
        }
        if (r.isEmpty()) {
            return Optional.of(NodeInfo.interior(uri).acl(ROOT_ACL).permanent(true).build());
        }
        Optional<Instance> i = engine.instance(r.get(0));
        if (i.isEmpty()) {
            return Optional.empty();
        }
        String path = String.join("/", r.subList(1, r.size()));
        return Optional.ofNullable(switch (path) {
            case "" -> NodeInfo.interior(uri).type(FumoAlerts.MO_ID).acl(INSTANCE_ACL).permanent(true).build();
            case "Download", "Update", "DownloadAndUpdate", "Ext" -> NodeInfo.interior(uri).permanent(true).build();
            case "PkgName", "PkgVersion", "Download/PkgURL", "DownloadAndUpdate/PkgURL" ->
                NodeInfo.leaf(uri, Format.CHR).type(NodeValue.TEXT_PLAIN).permanent(true).build();
            case "Update/PkgData" -> NodeInfo.leaf(uri, Format.BIN).type("application/octet-stream").permanent(true)
                    .build();
            case "State" -> NodeInfo.leaf(uri, Format.INT).type(NodeValue.TEXT_PLAIN).permanent(true).build();
            case "Ext/UserConsent" -> NodeInfo.leaf(uri, Format.BOOL).type(NodeValue.TEXT_PLAIN).permanent(true)
                    .build();
            default -> null;
        });
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#children */
    List<String> children(NodeUri uri) throws DmException {
        List<String> r = rel(uri);
        if (r != null && r.isEmpty()) {
            return engine.names();
        }
        String path = path(uri);
        return switch (path) {
            case "" -> INSTANCE_CHILDREN;
            case "Download", "DownloadAndUpdate" -> List.of("PkgURL");
            case "Update" -> List.of("PkgData");
            case "Ext" -> List.of("UserConsent");
            default -> throw new DmException(StatusCode.NOT_FOUND, uri + " is not an interior FUMO node");
        };
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#get */
    NodeValue get(NodeUri uri) throws DmException {
        Instance i = instance(uri);
        String path = path(uri);
        synchronized (i) {
            return switch (path) {
                case "PkgName" -> NodeValue.ofString(i.rec.pkgName);
                case "PkgVersion" -> NodeValue.ofString(i.rec.pkgVersion);
                case "Download/PkgURL" -> NodeValue.ofString(i.rec.downloadUrl);
                case "DownloadAndUpdate/PkgURL" -> NodeValue.ofString(i.rec.dluUrl);
                case "State" -> NodeValue.ofInt(i.rec.state.code());
                case "Ext/UserConsent" -> NodeValue.ofBool(i.rec.consentAsked);
                case "Update/PkgData" -> throw new DmException(StatusCode.COMMAND_NOT_ALLOWED,
                        "PkgData can be replaced, not read");
                default -> throw new DmException(describe(uri).isPresent() ? StatusCode.COMMAND_NOT_ALLOWED
                        : StatusCode.NOT_FOUND, uri + " has no value");
            };
        }
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#replace */
    void replace(NodeUri uri, NodeValue value) throws DmException {
        Instance i = instance(uri);
        switch (path(uri)) {
            case "Download/PkgURL" -> engine.replaceUrl(i.name, Operation.DOWNLOAD, value.asString());
            case "DownloadAndUpdate/PkgURL" -> engine.replaceUrl(i.name, Operation.DOWNLOAD_AND_UPDATE,
                    value.asString());
            case "PkgName" -> engine.replacePkgInfo(i.name, true, value.asString());
            case "PkgVersion" -> engine.replacePkgInfo(i.name, false, value.asString());
            case "Update/PkgData" -> engine.replacePkgData(i.name, value.data());
            case "Ext/UserConsent" -> engine.replaceConsent(i.name, value.asBoolean());
            default -> throw new DmException(describe(uri).isPresent() ? StatusCode.COMMAND_NOT_ALLOWED
                    : StatusCode.NOT_FOUND, "Replace is not allowed on " + uri);
        }
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#exec */
    StatusCode exec(NodeUri uri, String correlator, Principal who) throws DmException {
        Instance i = instance(uri);
        Operation op = switch (path(uri)) {
            case "Download" -> Operation.DOWNLOAD;
            case "Update" -> Operation.UPDATE;
            case "DownloadAndUpdate" -> Operation.DOWNLOAD_AND_UPDATE;
            default -> throw new DmException(describe(uri).isPresent() ? StatusCode.COMMAND_NOT_ALLOWED
                    : StatusCode.NOT_FOUND, uri + " cannot be executed");
        };
        return engine.exec(i.name, op, correlator, who);
    }

    private Instance instance(NodeUri uri) throws DmException {
        List<String> r = rel(uri);
        if (r == null || r.isEmpty()) {
            throw new DmException(r == null ? StatusCode.NOT_FOUND : StatusCode.COMMAND_NOT_ALLOWED,
                    uri + " is not a node of a FUMO instance");
        }
        return engine.instance(r.get(0))
                .orElseThrow(() -> new DmException(StatusCode.NOT_FOUND, "No FUMO instance at " + uri));
    }

    /** @return the path below the instance ("" for the instance itself) */
    private String path(NodeUri uri) throws DmException {
        instance(uri);
        List<String> r = rel(uri);
        return String.join("/", r.subList(1, r.size()));
    }

    /**
     * @param rootName the root's last segment
     * @return the DDF of the subtree, which the tree engine enforces (access types, formats)
     */
    static NodeDescription description(String rootName) {
        NodeDescription url = NodeDescription.named("PkgURL").leaf(Format.CHR).access(AccessType.GET,
                AccessType.REPLACE).occurrence(Occurrence.ONE).permanent().mimeType(NodeValue.TEXT_PLAIN)
                .description("URL of the firmware package; its signed manifest is <PkgURL>.manifest.p7").build();
        NodeDescription x = NodeDescription.placeholder().access(AccessType.GET).occurrence(Occurrence.ZERO_OR_MORE)
                .permanent().mimeType(FumoAlerts.MO_ID).description("One FUMO instance per update agent")
                .child(leaf("PkgName", Format.CHR, Occurrence.ZERO_OR_ONE, AccessType.GET, AccessType.REPLACE))
                .child(leaf("PkgVersion", Format.CHR, Occurrence.ZERO_OR_ONE, AccessType.GET, AccessType.REPLACE))
                .child(NodeDescription.named("Download").access(AccessType.EXEC, AccessType.GET)
                        .occurrence(Occurrence.ZERO_OR_ONE).permanent().child(url).build())
                .child(NodeDescription.named("Update").access(AccessType.EXEC, AccessType.GET)
                        .occurrence(Occurrence.ZERO_OR_ONE).permanent()
                        .child(NodeDescription.named("PkgData").leaf(Format.BIN).access(AccessType.REPLACE)
                                .occurrence(Occurrence.ZERO_OR_ONE).permanent().mimeType("application/octet-stream")
                                .description("Inline package: the CDM-FUMO-PKG-1 frame (docs/fumo.md)").build())
                        .build())
                .child(NodeDescription.named("DownloadAndUpdate").access(AccessType.EXEC, AccessType.GET)
                        .occurrence(Occurrence.ZERO_OR_ONE).permanent().child(url).build())
                .child(leaf("State", Format.INT, Occurrence.ONE, AccessType.GET))
                .child(NodeDescription.named("Ext").access(AccessType.GET).occurrence(Occurrence.ZERO_OR_ONE)
                        .permanent()
                        .child(leaf("UserConsent", Format.BOOL, Occurrence.ZERO_OR_ONE, AccessType.GET,
                                AccessType.REPLACE))
                        .build())
                .build();
        return NodeDescription.named(rootName).access(AccessType.GET).permanent()
                .description("FUMO 1.0 instances (urn:oma:mo:oma-fumo:1.0)").child(x).build();
    }

    private static NodeDescription leaf(String name, Format f, Occurrence o, AccessType... access) {
        return NodeDescription.named(name).leaf(f).access(access).occurrence(o).permanent()
                .mimeType(NodeValue.TEXT_PLAIN).build();
    }
}

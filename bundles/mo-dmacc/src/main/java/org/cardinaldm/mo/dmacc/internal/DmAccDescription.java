package org.cardinaldm.mo.dmacc.internal;

import java.util.Set;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.ddf.AccessType;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.cardinaldm.api.spi.ddf.Occurrence;
import org.cardinaldm.api.spi.mo.ManagementObject;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.mo.dmacc.api.AuthLevel;
import org.cardinaldm.mo.dmacc.api.AuthType;
import org.cardinaldm.mo.dmacc.api.DmAccounts;
import org.osgi.service.component.annotations.Component;

/**
 * The DM 1.2 DMAcc MO (OMA-TS-DM_StdObj-V1_2 §7.1.3.1; digest 5.2) described for the tree engine.
 * The accounts live in the tree store:
 * <pre>
 * ./DMAcc                      node, permanent               Get
 *   &lt;X&gt;                      node, one or more, Type urn:oma:mo:oma-dm-dmacc:1.0   Add Delete Get Replace
 *     AppID                    chr "w7"                      Add Get Replace
 *     ServerID                 chr, usable in ACLs           Add Get Replace
 *     Name, PrefConRef         chr, optional                 Add Delete Get Replace
 *     ToConRef/&lt;X&gt;/ConRef     chr                           Add Delete Get Replace
 *     AppAddr/&lt;X&gt;/Addr        chr, not empty
 *     AppAddr/&lt;X&gt;/AddrType    chr URI | IPv4 | IPv6
 *     AppAddr/&lt;X&gt;/Port/&lt;X&gt;/PortNbr   chr or int, 0..65535
 *     AAuthPref                chr, an AAuthType or empty
 *     AppAuth/&lt;X&gt;/AAuthLevel  chr CLCRED | SRVCRED | OBEX | HTTP
 *     AppAuth/&lt;X&gt;/AAuthType   chr HTTP-BASIC | HTTP-DIGEST | BASIC | DIGEST | HMAC | X509 | ...
 *     AppAuth/&lt;X&gt;/AAuthName   chr
 *     AppAuth/&lt;X&gt;/AAuthSecret chr or bin                   Add Delete Replace (no Get: write-only)
 *     AppAuth/&lt;X&gt;/AAuthData   bin or b64                    Add Delete Replace (no Get: write-only)
 *     Ext                      node, free-form
 * </pre>
 * The OMA table lists only Get as the minimum access; Add, Delete and Replace are added so that
 * servers and the bootstrap can provision and maintain accounts, as real DDFs do. Values are
 * checked by {@link #validate}; refusals are 400 and never quote the value.
 */
@Component(service = MoDescription.class)
@ManagementObject(root = DmAccounts.ROOT, id = DmAccounts.MO_ID)
public final class DmAccDescription implements MoDescription {
    private static final AccessType[] READ_WRITE = {AccessType.ADD, AccessType.DELETE, AccessType.GET, AccessType.REPLACE};
    private static final AccessType[] MANDATORY = {AccessType.ADD, AccessType.GET, AccessType.REPLACE};
    private static final AccessType[] WRITE_ONLY = {AccessType.ADD, AccessType.DELETE, AccessType.REPLACE};
    private static final Set<String> ADDRESS_TYPES = Set.of("URI", "IPv4", "IPv6");

    private static final NodeDescription ROOT = build();

    private static NodeDescription leaf(String name, Occurrence occurrence, AccessType[] access, Format... formats) {
        Format[] more = new Format[formats.length - 1];
        System.arraycopy(formats, 1, more, 0, more.length);
        return NodeDescription.named(name).leaf(formats[0], more).occurrence(occurrence).access(access)
                .mimeType("text/plain").build();
    }

    private static NodeDescription build() {
        NodeDescription port = NodeDescription.named("Port").occurrence(Occurrence.ZERO_OR_ONE).access(READ_WRITE)
                .child(NodeDescription.placeholder().occurrence(Occurrence.ONE_OR_MORE).access(READ_WRITE)
                        .child(leaf("PortNbr", Occurrence.ONE, MANDATORY, Format.CHR, Format.INT))
                        .build())
                .build();
        NodeDescription appAddr = NodeDescription.named("AppAddr").access(READ_WRITE)
                .child(NodeDescription.placeholder().occurrence(Occurrence.ONE_OR_MORE).access(READ_WRITE)
                        .child(leaf("Addr", Occurrence.ONE, MANDATORY, Format.CHR))
                        .child(leaf("AddrType", Occurrence.ONE, MANDATORY, Format.CHR))
                        .child(port)
                        .build())
                .build();
        NodeDescription appAuth = NodeDescription.named("AppAuth").occurrence(Occurrence.ZERO_OR_ONE).access(READ_WRITE)
                .child(NodeDescription.placeholder().occurrence(Occurrence.ONE_OR_MORE).access(READ_WRITE)
                        .child(leaf("AAuthLevel", Occurrence.ONE, MANDATORY, Format.CHR))
                        .child(leaf("AAuthType", Occurrence.ONE, MANDATORY, Format.CHR))
                        .child(leaf("AAuthName", Occurrence.ZERO_OR_ONE, READ_WRITE, Format.CHR))
                        .child(NodeDescription.named("AAuthSecret").leaf(Format.CHR, Format.BIN)
                                .occurrence(Occurrence.ZERO_OR_ONE).access(WRITE_ONLY).build())
                        .child(NodeDescription.named("AAuthData").leaf(Format.BIN, Format.B64)
                                .occurrence(Occurrence.ZERO_OR_ONE).access(WRITE_ONLY).build())
                        .build())
                .build();
        NodeDescription toConRef = NodeDescription.named("ToConRef").occurrence(Occurrence.ZERO_OR_ONE).access(READ_WRITE)
                .child(NodeDescription.placeholder().occurrence(Occurrence.ONE_OR_MORE).access(READ_WRITE)
                        .child(leaf("ConRef", Occurrence.ONE, MANDATORY, Format.CHR))
                        .build())
                .build();
        NodeDescription account = NodeDescription.placeholder().occurrence(Occurrence.ONE_OR_MORE).access(READ_WRITE)
                .mimeType(DmAccounts.MO_ID).description("A DM server account")
                .child(leaf("AppID", Occurrence.ONE, MANDATORY, Format.CHR))
                .child(leaf("ServerID", Occurrence.ONE, MANDATORY, Format.CHR))
                .child(leaf("Name", Occurrence.ZERO_OR_ONE, READ_WRITE, Format.CHR))
                .child(leaf("PrefConRef", Occurrence.ZERO_OR_ONE, READ_WRITE, Format.CHR))
                .child(toConRef)
                .child(appAddr)
                .child(leaf("AAuthPref", Occurrence.ZERO_OR_ONE, READ_WRITE, Format.CHR))
                .child(appAuth)
                .child(NodeDescription.named("Ext").occurrence(Occurrence.ZERO_OR_ONE).access(READ_WRITE).open().build())
                .build();
        return NodeDescription.named("DMAcc").permanent().access(AccessType.GET)
                .description("DM 1.2 server accounts").child(account).build();
    }

    @Override
    public NodeDescription root() {
        return ROOT;
    }

    @Override
    public void validate(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        if (value.isInterior()) {
            return;
        }
        String text = value.asString();
        switch (uri.name()) {
            case "AppID":
                require(text.equals(DmAccounts.APP_ID), uri, "must be " + DmAccounts.APP_ID);
                break;
            case "ServerID":
                require(isServerId(text), uri, "must be a non-empty ServerID usable in ACLs (no '=', '&', '*', '+' or space)");
                break;
            case "Addr":
                require(!text.isBlank(), uri, "must not be empty");
                break;
            case "AddrType":
                require(ADDRESS_TYPES.contains(text), uri, "must be URI, IPv4 or IPv6");
                break;
            case "PortNbr":
                require(text.matches("\\d{1,5}") && Integer.parseInt(text) <= 0xFFFF, uri, "must be a port number 0..65535");
                break;
            case "AAuthLevel":
                require(AuthLevel.fromToken(text).isPresent(), uri, "must be CLCRED, SRVCRED, OBEX or HTTP");
                break;
            case "AAuthType":
                require(AuthType.fromToken(text).isPresent(), uri, "is not a DM 1.2 AAuthType");
                break;
            case "AAuthPref":
                require(text.isEmpty() || AuthType.fromToken(text).isPresent(), uri, "is not a DM 1.2 AAuthType");
                break;
            default:
                break;
        }
    }

    private static void require(boolean ok, NodeUri uri, String rule) throws DmException {
        if (!ok) {
            throw new DmException(StatusCode.BAD_REQUEST, uri.name() + " " + rule);
        }
    }

    static boolean isServerId(String id) {
        if (id.isEmpty()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '=' || c == '&' || c == '*' || c == '+' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }
}

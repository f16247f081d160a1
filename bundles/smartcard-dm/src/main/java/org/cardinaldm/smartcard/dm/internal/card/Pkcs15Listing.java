package org.cardinaldm.smartcard.dm.internal.card;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardObject;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Exception;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Parser;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Path;
import org.cardinaldm.smartcard.dm.internal.profile.Cardinal;

/** The PKCS#15 structure of a discovered card as {@link CardObject}s, for tools; reads TokenInfo, AODF and CDF. */
public final class Pkcs15Listing {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final Map<String, String> NAMES = Map.of(Pkcs15.OID_DM_BOOTSTRAP, "DM bootstrap",
            Cardinal.OID_POLICY, "Cardinal card policy", Cardinal.OID_MO_STORE, "Cardinal MO store",
            Cardinal.OID_FUMO_POLICY, "Cardinal FUMO policy", Cardinal.OID_CREDENTIALS, "Cardinal DM credentials",
            Cardinal.OID_STATE, "Cardinal DM state");
    private static final Map<Integer, String> ODF = Map.of(Pkcs15.ODF_PRKDF, "PrKDF", Pkcs15.ODF_PUKDF, "PuKDF",
            Pkcs15.ODF_TRUSTED_PUKDF, "trusted PuKDF", Pkcs15.ODF_SKDF, "SKDF", Pkcs15.ODF_CDF, "CDF",
            Pkcs15.ODF_TRUSTED_CDF, "trusted CDF", Pkcs15.ODF_USEFUL_CDF, "useful CDF", Pkcs15.ODF_DODF, "DODF",
            Pkcs15.ODF_AODF, "AODF");

    private Pkcs15Listing() {
    }

    /**
     * @param io a channel of a new session
     * @param c what discovery read
     * @return the entries
     * @throws SmartCardException if the card fails
     */
    public static List<CardObject> list(CardIo io, CardContents c) throws SmartCardException {
        List<CardObject> out = new ArrayList<>();
        if (c.application() != null) {
            out.add(CardObject.of(CardObject.Kind.APPLICATION, c.application().path() == null ? ""
                    : path(c.application().path()), c.application().label(), "", "AID " + HEX.formatHex(c.application().aid())));
        }
        io.useState(c.state());
        io.selectApplication(c.application() == null ? Pkcs15.AID : c.application().aid());
        io.applicationPath(c.application() == null ? null : c.application().path());
        Pkcs15Parser parser = new Pkcs15Parser();
        try {
            Pkcs15.TokenInfo t = parser.tokenInfo(io.read(Pkcs15Path.ofFid(Pkcs15.EF_TOKEN_INFO), -1, true));
            out.add(CardObject.of(CardObject.Kind.TOKEN, "5032", t.label(), "",
                    "serial " + HEX.formatHex(t.serialNumber()) + (t.manufacturer().isEmpty() ? "" : ", " + t.manufacturer())));
        } catch (Pkcs15Exception | SmartCardException e) {
            rethrowIfGone(e);
        }
        for (Pkcs15.OdfEntry e : c.odf()) {
            out.add(CardObject.of(CardObject.Kind.DIRECTORY, e.path().toString(), "", "",
                    ODF.getOrDefault(e.tag(), String.format("tag %02X", e.tag()))));
        }
        for (Pkcs15.DataObject o : c.dataObjects()) {
            String oid = o.oid().isEmpty() ? o.applicationOid() : o.oid();
            out.add(CardObject.of(CardObject.Kind.DATA, o.path() == null ? "(direct)" : o.path().toString(),
                    o.common().label(), oid, NAMES.getOrDefault(oid, o.applicationName())));
        }
        for (Pkcs15.OdfEntry e : c.odf()) {
            try {
                if (e.tag() == Pkcs15.ODF_AODF) {
                    for (Pkcs15.AuthObject a : parser.aodf(io.read(e.path(), -1, true))) {
                        out.add(CardObject.of(CardObject.Kind.PIN, a.path() == null ? "" : a.path().toString(),
                                a.common().label(), "", "reference " + a.reference() + ", " + a.minLength() + ".."
                                        + (a.maxLength() < 0 ? a.storedLength() : a.maxLength()) + " digits"));
                    }
                } else if (e.tag() >= Pkcs15.ODF_CDF && e.tag() <= Pkcs15.ODF_USEFUL_CDF) {
                    for (Pkcs15.CertificateObject x : parser.cdf(io.read(e.path(), -1, true))) {
                        out.add(CardObject.of(CardObject.Kind.CERTIFICATE, x.path() == null ? "(direct)" : x.path().toString(),
                                x.common().label(), "", ODF.get(e.tag()) + ", id " + HEX.formatHex(x.id())
                                        + (x.authority() ? ", authority" : "")));
                    }
                }
            } catch (Pkcs15Exception | SmartCardException x) {
                rethrowIfGone(x);
            }
        }
        return out;
    }

    private static void rethrowIfGone(Exception e) throws SmartCardException {
        if (e instanceof SmartCardException) {
            SmartCardException s = (SmartCardException) e;
            switch (s.code()) {
                case CARD_REMOVED:
                case CARD_RESET:
                case IO_ERROR:
                case SESSION_CLOSED:
                    throw s;
                default:
                    break;
            }
        }
    }

    private static String path(byte[] p) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < p.length; i += 2) {
            sb.append(sb.length() == 0 ? "" : "/").append(HEX.formatHex(p, i, i + 2));
        }
        return sb.toString();
    }

    /**
     * @param text hex file identifiers, optionally separated by {@code /}
     * @return the path
     * @throws IllegalArgumentException if it is not
     */
    public static Pkcs15Path parsePath(String text) {
        String hex = text.replace("/", "").replace(" ", "");
        try {
            return Pkcs15Path.of(HEX.parseHex(hex), -1, -1);
        } catch (IllegalArgumentException | Pkcs15Exception e) {
            throw new IllegalArgumentException("A path is hex file identifiers such as 6431 or 3F00/2FE2");
        }
    }
}

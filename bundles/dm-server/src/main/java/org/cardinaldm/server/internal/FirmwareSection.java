package org.cardinaldm.server.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.cardinaldm.server.api.HelpDeskReport.Entry;
import org.cardinaldm.server.api.HelpDeskReport.Group;
import org.cardinaldm.server.api.ResultItem;

/**
 * The help-desk report's Firmware section: the installed firmware version ({@code ./DevDetail/FwV}, also shown in
 * the Device section), one group per OMA FUMO 1.0 instance {@code ./FUMO/<x>} (PkgName, PkgVersion, State with its
 * meaning, a progress leaf under {@code Ext} when the device shows one, the PkgURLs without user information or
 * query) and the card's FUMO policy ({@code ./SmartCard/Policy/FUMO}: trusted signers, allowed servers, threshold,
 * anti-rollback counter). Leaves it shows are taken out of the pool, so they do not also appear under Other.
 */
final class FirmwareSection {
    /** The FUMO root the help desk reads. */
    static final String FUMO = "./FUMO";
    /** The installed firmware version. */
    static final String FWV = "./DevDetail/FwV";
    static final String CARD_FUMO = "./SmartCard/Policy/FUMO";

    /** A leaf under {@code Ext} that shows download or update progress (vendor extensions name it freely). */
    private static final Pattern PROGRESS = Pattern.compile("(?i).*(progress|percent|bytesdownloaded|downloaded).*");
    /** The longest value shown; longer ones are cut (a device is not trusted to keep them short). */
    static final int MAX_VALUE = 512;

    private static final Map<String, String> INSTANCE = Map.of("PkgName", "Package name", "PkgVersion",
            "Package version", "State", "State", "Download/PkgURL", "Download URL", "DownloadAndUpdate/PkgURL",
            "Download-and-update URL", "Ext/UserConsent", "User consent");
    private static final List<String> INSTANCE_ORDER = List.of("PkgName", "PkgVersion", "State",
            "Download/PkgURL", "DownloadAndUpdate/PkgURL", "Ext/UserConsent");
    private static final Map<String, String> CARD = Map.of("TrustedSigners", "FUMO trusted signers",
            "AllowedServers", "FUMO allowed servers", "Threshold", "FUMO signatures needed",
            "AntiRollbackCounter", "FUMO anti-rollback counter");
    private static final List<String> CARD_ORDER = List.of("TrustedSigners", "AllowedServers", "Threshold",
            "AntiRollbackCounter");

    private FirmwareSection() {
    }

    /**
     * @param left the leaves no section took yet; the section removes those it shows
     * @param fwv {@code ./DevDetail/FwV} as the device reported it, or null
     * @return the section's groups: plain entries (the version), one per FUMO instance, the card's FUMO policy
     */
    static List<Group> groups(Map<String, ResultItem> left, ResultItem fwv) {
        List<Group> groups = new ArrayList<>();
        if (fwv != null) {
            groups.add(new Group(null, List.of(new Entry("Firmware version", show(fwv), FWV))));
        }
        for (String x : instances(left)) {
            String root = FUMO + "/" + x;
            List<Entry> e = new ArrayList<>();
            for (String leaf : INSTANCE_ORDER) {
                ResultItem item = left.remove(root + "/" + leaf);
                if (item == null) {
                    continue;
                }
                String v = show(item);
                if (leaf.equals("State")) {
                    v = state(v);
                } else if (leaf.endsWith("PkgURL")) {
                    v = url(v);
                }
                e.add(new Entry(INSTANCE.get(leaf), v, root + "/" + leaf));
            }
            for (String uri : new ArrayList<>(left.keySet())) {
                if (HelpDeskReports.under(uri, root)) {
                    String rel = uri.substring(root.length() + 1);
                    String label = rel.startsWith("Ext/") && PROGRESS.matcher(HelpDeskReports.name(uri)).matches()
                            ? "Progress" : rel;
                    e.add(new Entry(label, show(left.remove(uri)), uri));
                }
            }
            if (!e.isEmpty()) {
                groups.add(new Group(x, e));
            }
        }
        List<Entry> card = new ArrayList<>();
        for (String leaf : CARD_ORDER) {
            String uri = CARD_FUMO + "/" + leaf;
            ResultItem item = left.remove(uri);
            if (item != null) {
                card.add(new Entry(CARD.get(leaf), show(item), uri));
            }
        }
        if (!card.isEmpty()) {
            groups.add(new Group("Card FUMO policy", card));
        }
        return groups;
    }

    /** The names of the FUMO instances some remaining leaf lies under, in the device's order. */
    private static List<String> instances(Map<String, ResultItem> left) {
        return HelpDeskReports.childNames(left.keySet(), FUMO);
    }

    private static String show(ResultItem item) {
        String v = HelpDeskReports.value(item);
        return v == null || v.length() <= MAX_VALUE ? v : v.substring(0, MAX_VALUE) + "…";
    }

    /**
     * @param v a FUMO State as the device sent it
     * @return it with its meaning (OMA FUMO 1.0 §5.3), e.g. {@code 30 (download progressing)}; other values as sent
     */
    static String state(String v) {
        if (v == null) {
            return null;
        }
        String meaning = switch (v.strip()) {
            case "10" -> "idle";
            case "20" -> "download failed";
            case "30" -> "download progressing";
            case "40" -> "download complete";
            case "50" -> "ready to update";
            case "60" -> "update progressing";
            case "70" -> "update failed, have data";
            case "80" -> "update failed, no data";
            case "90" -> "update successful, have data";
            case "100" -> "update successful, no data";
            default -> null;
        };
        return meaning == null ? v : v.strip() + " (" + meaning + ")";
    }

    /**
     * @param v a PkgURL as the device sent it
     * @return it without user information, query and fragment (they may carry a download credential), or
     *         {@code (not a URL)} when it does not parse
     */
    static String url(String v) {
        if (v == null || v.isBlank()) {
            return v;
        }
        try {
            URI u = new URI(v.strip());
            if (u.getScheme() == null || u.getHost() == null) {
                return "(not a URL)";
            }
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString()
                    + (u.getRawQuery() != null || u.getUserInfo() != null ? " (credentials and query withheld)" : "");
        } catch (URISyntaxException e) {
            return "(not a URL)";
        }
    }
}

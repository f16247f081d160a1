package org.cardinaldm.server.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.cardinaldm.server.api.HelpDeskReport;
import org.cardinaldm.server.api.HelpDeskReport.Entry;
import org.cardinaldm.server.api.HelpDeskReport.Group;
import org.cardinaldm.server.api.HelpDeskReport.Kind;
import org.cardinaldm.server.api.HelpDeskReport.Read;
import org.cardinaldm.server.api.HelpDeskReport.Section;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;

/**
 * Turns the results of help-desk jobs into a {@link HelpDeskReport}. Leaf names are those of the
 * standard MOs (digest 5.2, 5.4, 5.5), of Cardinal's {@code ./SmartCard} (Info, Policy, Policy/FUMO),
 * of the OMA SCOMO inventory ({@code Inventory/Deployed/<X>} and {@code Delivered/<X>} with ID,
 * Name, Version, State, Description) and of OMA FUMO 1.0 ({@code ./FUMO/<x>} with PkgName, PkgVersion,
 * State and the PkgURLs; a progress leaf under {@code Ext} when the device shows one).
 */
public final class HelpDeskReports {
    /** Leaf names that may hold a secret: never put into a report. */
    static final Pattern SECRET = Pattern.compile(
            "(?i)(.*(secret|passw|pwd|passphrase|puk|nonce|key|token|credential|aauthdata).*|pin\\d*|.*pin)");

    private static final Pattern SERIAL = Pattern.compile("(?i)(serial|serialnumber|serialno|sernum|serno|sn)");
    private static final Pattern SERIAL_DEVID = Pattern.compile("(?i)(IMEI|ESN|MEID|SN|SERIAL):(.+)");
    /** A log segment: {@code Log}, {@code Logs}, {@code Syslog}, or a camel-case {@code ...Log(s)}. */
    private static final Pattern LOG = Pattern.compile("(?i:logs?|syslog|diagmon)|.*Logs?");

    private static final Map<String, String> DEV_INFO = labels("DevId", "DevId", "Man", "Manufacturer", "Mod",
            "Model", "DmV", "DM client version", "Lang", "Language");
    private static final Map<String, String> DEV_DETAIL = labels("DevTyp", "Device type", "OEM", "OEM", "FwV",
            "Firmware version", "SwV", "Software / OS version", "HwV", "Hardware version", "LrgObj",
            "Large objects");
    private static final Map<String, String> CARD_INFO = labels("CardId", "Card id", "ATR", "ATR", "Reader",
            "Reader", "ProfileVersion", "Profile version", "Capabilities", "Capabilities", "FreeSpace",
            "Free space", "ChangeCounter", "Change counter");
    private static final Map<String, String> CARD_POLICY = labels("UserConfirmation", "User confirmation",
            "AutoConnect", "Autonomous connection", "AllowedServers", "Allowed servers");
    private static final Map<String, String> SCOMO = labels("Name", "Name", "Version", "Version", "State",
            "State", "ID", "ID", "Description", "Description", "PkgID", "Package id");

    private HelpDeskReports() {
    }

    private static Map<String, String> labels(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /**
     * @param jobs the jobs of one help-desk request, at least one, all for one device
     * @return the report
     * @throws IllegalArgumentException when there is no job or they are for several devices
     */
    public static HelpDeskReport build(List<Job> jobs) {
        if (jobs == null || jobs.isEmpty()) {
            throw new IllegalArgumentException("a help-desk report needs at least one job");
        }
        String deviceId = jobs.get(0).deviceId();
        List<Long> ids = new ArrayList<>();
        List<Read> reads = new ArrayList<>();
        Map<String, ResultItem> leaves = new LinkedHashMap<>();
        boolean complete = true;
        int withheld = 0;
        Set<String> secretUris = new LinkedHashSet<>();
        for (Job job : jobs) {
            if (!job.deviceId().equals(deviceId)) {
                throw new IllegalArgumentException("the jobs are for several devices");
            }
            ids.add(job.id());
            complete &= job.state().isSettled();
            List<Operation> ops = job.flatOperations();
            for (int i = 0; i < ops.size(); i++) {
                Operation op = ops.get(i);
                if (op.kind() != OperationKind.GET) {
                    continue;
                }
                var result = job.result(i);
                reads.add(new Read(job.id(), i, op.target(), result.map(OperationResult::status).orElse(null),
                        classify(path(op.target()))));
                if (result.isEmpty() || result.get().status() < 200 || result.get().status() > 299) {
                    continue;
                }
                for (ResultItem item : result.get().items()) {
                    if (item.uri() == null || "node".equalsIgnoreCase(item.format())) {
                        continue;
                    }
                    String uri = path(item.uri());
                    if (SECRET.matcher(name(uri)).matches()) {
                        if (secretUris.add(uri)) {
                            withheld++;
                        }
                        continue;
                    }
                    leaves.put(uri, item);
                }
            }
        }
        Builder b = new Builder(deviceId, leaves);
        List<Section> sections = new ArrayList<>();
        sections.add(b.section(Kind.DEVICE, b.device(), reads));
        sections.add(b.section(Kind.CARD, b.card(), reads));
        sections.add(b.section(Kind.FIRMWARE, FirmwareSection.groups(b.left, leaves.get(FirmwareSection.FWV)), reads));
        sections.add(b.section(Kind.CONNECTIVITY, b.accounts(), reads));
        sections.add(b.section(Kind.APPLICATIONS, b.applications(), reads));
        sections.add(b.section(Kind.LOGS, b.logs(reads), reads));
        sections.add(b.section(Kind.OTHER, b.other(), reads));
        return new HelpDeskReport(deviceId, ids, complete, sections, reads, withheld);
    }

    /** @return the node part of a URI, with the {@code ./} prefix, without query or trailing slash */
    static String path(String uri) {
        String p = uri;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals(".") || p.startsWith("./")) {
            return p;
        }
        return p.startsWith("/") ? "." + p : "./" + p;
    }

    static String name(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    static boolean under(String uri, String root) {
        return uri.equals(root) || uri.startsWith(root + "/");
    }

    /** The section a read of this subtree feeds. */
    static Kind classify(String path) {
        if (under(path, "./DevInfo") || under(path, "./DevDetail")) {
            return Kind.DEVICE;
        }
        if (under(path, "./SmartCard/Info") || under(path, "./SmartCard/Policy") || path.equals("./SmartCard")) {
            return Kind.CARD;
        }
        if (under(path, FirmwareSection.FUMO)) {
            return Kind.FIRMWARE;
        }
        if (under(path, "./DMAcc")) {
            return Kind.CONNECTIVITY;
        }
        if (under(path, "./SCOMO")) {
            return Kind.APPLICATIONS;
        }
        if (isLog(path)) {
            return Kind.LOGS;
        }
        return Kind.OTHER;
    }

    private static boolean isLog(String path) {
        if (under(path, "./DiagMon")) {
            return true;
        }
        for (String segment : path.split("/")) {
            if (LOG.matcher(segment).matches()) {
                return true;
            }
        }
        return false;
    }

    /** @return a leaf's value as a report shows it: binary values as {@code b64:} and their base64 */
    static String value(ResultItem item) {
        if (item == null || item.value() == null) {
            return null;
        }
        // raw bytes (WBXML opaque), or text an XML device had to send as base64
        return item.binary() || "b64".equalsIgnoreCase(item.format()) ? "b64:" + item.value() : item.value();
    }

    /** Picks leaves out of the map as sections use them; what stays goes to Other. */
    private static final class Builder {
        private final String deviceId;
        /** The leaves no section took yet (the firmware section takes its own from it). */
        final Map<String, ResultItem> left;

        Builder(String deviceId, Map<String, ResultItem> leaves) {
            this.deviceId = deviceId;
            this.left = new LinkedHashMap<>(leaves);
        }

        private String value(ResultItem item) {
            return HelpDeskReports.value(item);
        }

        /** Takes a leaf out of the pool. */
        private ResultItem take(String uri) {
            return left.remove(uri);
        }

        private void put(List<Entry> out, String label, String uri) {
            ResultItem item = take(uri);
            if (item != null) {
                out.add(new Entry(label, value(item), uri));
            }
        }

        private void putAll(List<Entry> out, String root, Map<String, String> labels) {
            for (Map.Entry<String, String> e : labels.entrySet()) {
                put(out, e.getValue(), root + "/" + e.getKey());
            }
        }

        /** Names of the children of {@code root} that some remaining leaf lies under. */
        private List<String> children(String root) {
            return childNames(left.keySet(), root);
        }

        private String text(String uri) {
            ResultItem item = left.get(uri);
            return item == null ? null : value(item);
        }

        List<Group> device() {
            List<Entry> e = new ArrayList<>();
            ResultItem devId = take("./DevInfo/DevId");
            e.add(new Entry("DevId", devId != null ? value(devId) : deviceId, devId != null ? "./DevInfo/DevId" : null));
            put(e, "Manufacturer", "./DevInfo/Man");
            put(e, "Model", "./DevInfo/Mod");
            put(e, "Device type", "./DevDetail/DevTyp");
            String serialUri = null;
            for (String uri : left.keySet()) {
                if (SERIAL.matcher(name(uri)).matches()) {
                    serialUri = uri;
                    break;
                }
            }
            if (serialUri != null) {
                put(e, "Serial number", serialUri);
            } else {
                var m = SERIAL_DEVID.matcher(e.get(0).value() == null ? "" : e.get(0).value());
                if (m.matches()) {
                    e.add(new Entry("Serial number", m.group(2) + " (" + m.group(1).toUpperCase(Locale.ROOT)
                            + ", from the DevId)", null));
                }
            }
            for (Map.Entry<String, String> x : DEV_DETAIL.entrySet()) {
                if (!x.getKey().equals("DevTyp")) {
                    put(e, x.getValue(), "./DevDetail/" + x.getKey());
                }
            }
            for (Map.Entry<String, String> x : DEV_INFO.entrySet()) {
                if (List.of("DmV", "Lang").contains(x.getKey())) {
                    put(e, x.getValue(), "./DevInfo/" + x.getKey());
                }
            }
            List<String> limits = new ArrayList<>();
            for (String l : List.of("MaxDepth", "MaxTotLen", "MaxSegLen")) {
                ResultItem item = take("./DevDetail/URI/" + l);
                if (item != null) {
                    limits.add(l + " " + (item.value() == null ? "-" : item.value()));
                }
            }
            if (!limits.isEmpty()) {
                e.add(new Entry("URI limits", String.join(", ", limits) + " (0 = unlimited)", "./DevDetail/URI"));
            }
            return List.of(new Group(null, e));
        }

        List<Group> card() {
            List<Group> groups = new ArrayList<>();
            List<Entry> info = new ArrayList<>();
            putAll(info, "./SmartCard/Info", CARD_INFO);
            if (!info.isEmpty()) {
                groups.add(new Group("Info", info));
            }
            List<Entry> policy = new ArrayList<>();
            putAll(policy, "./SmartCard/Policy", CARD_POLICY);
            if (!policy.isEmpty()) {
                groups.add(new Group("Policy", policy));
            }
            return groups;
        }

        List<Group> accounts() {
            List<Group> groups = new ArrayList<>();
            for (String x : children("./DMAcc")) {
                String acc = "./DMAcc/" + x;
                List<Entry> e = new ArrayList<>();
                String serverId = text(acc + "/ServerID");
                put(e, "ServerID", acc + "/ServerID");
                put(e, "Name", acc + "/Name");
                put(e, "AppID", acc + "/AppID");
                for (String a : children(acc + "/AppAddr")) {
                    String addr = acc + "/AppAddr/" + a;
                    String address = text(addr + "/Addr");
                    String type = text(addr + "/AddrType");
                    List<String> ports = new ArrayList<>();
                    for (String p : children(addr + "/Port")) {
                        String port = text(addr + "/Port/" + p + "/PortNbr");
                        if (port != null) {
                            ports.add(port);
                        }
                        take(addr + "/Port/" + p + "/PortNbr");
                    }
                    take(addr + "/Addr");
                    take(addr + "/AddrType");
                    if (address != null || type != null || !ports.isEmpty()) {
                        StringBuilder s = new StringBuilder(address == null ? "-" : address);
                        if (type != null) {
                            s.append(" (").append(type).append(')');
                        }
                        if (!ports.isEmpty()) {
                            s.append(ports.size() == 1 ? ", port " : ", ports ").append(String.join(", ", ports));
                        }
                        e.add(new Entry("Address", s.toString(), addr));
                    }
                }
                put(e, "Preferred auth", acc + "/AAuthPref");
                for (String a : children(acc + "/AppAuth")) {
                    String auth = acc + "/AppAuth/" + a;
                    String level = text(auth + "/AAuthLevel");
                    String type = text(auth + "/AAuthType");
                    String name = text(auth + "/AAuthName");
                    take(auth + "/AAuthLevel");
                    take(auth + "/AAuthType");
                    take(auth + "/AAuthName");
                    if (level != null || type != null) {
                        e.add(new Entry("Auth " + (level == null ? a : level),
                                (type == null ? "-" : type) + (name == null || name.isEmpty() ? "" : " as " + name),
                                auth));
                    }
                }
                put(e, "Connection", acc + "/PrefConRef");
                for (String r : children(acc + "/ToConRef")) {
                    put(e, "Connection ref", acc + "/ToConRef/" + r + "/ConRef");
                }
                if (!e.isEmpty()) {
                    groups.add(new Group(x + (serverId == null ? "" : " (" + serverId + ")"), e));
                }
            }
            return groups;
        }

        List<Group> applications() {
            List<Group> groups = new ArrayList<>();
            for (String area : List.of("Deployed", "Delivered")) {
                String root = "./SCOMO/Inventory/" + area;
                for (String x : children(root)) {
                    String node = root + "/" + x;
                    List<Entry> e = new ArrayList<>();
                    String name = text(node + "/Name");
                    for (Map.Entry<String, String> l : SCOMO.entrySet()) {
                        ResultItem item = take(node + "/" + l.getKey());
                        if (item != null) {
                            String v = value(item);
                            e.add(new Entry(l.getValue(), l.getKey().equals("State") ? scomoState(v) : v,
                                    node + "/" + l.getKey()));
                        }
                    }
                    if (area.equals("Delivered")) {
                        e.add(new Entry("Inventory", "delivered, not installed", node));
                    }
                    if (!e.isEmpty()) {
                        groups.add(new Group(name == null ? x : name, e));
                    }
                }
            }
            return groups;
        }

        /** SCOMO Deployed/State: 10 inactive, 20 active (OMA-TS-SCOMO-V1_0). */
        private static String scomoState(String v) {
            if (v == null) {
                return null;
            }
            switch (v.trim()) {
                case "10":
                    return "10 (inactive)";
                case "20":
                    return "20 (active)";
                default:
                    return v;
            }
        }

        List<Group> logs(List<Read> reads) {
            List<Group> groups = new ArrayList<>();
            Set<String> roots = new LinkedHashSet<>();
            for (Read r : reads) {
                if (r.section() == Kind.LOGS) {
                    roots.add(path(r.uri()));
                }
            }
            for (String root : roots) {
                List<Entry> e = new ArrayList<>();
                for (String uri : new ArrayList<>(left.keySet())) {
                    if (under(uri, root)) {
                        ResultItem item = take(uri);
                        e.add(new Entry(uri.equals(root) ? name(uri) : uri.substring(root.length() + 1), value(item),
                                uri));
                    }
                }
                if (!e.isEmpty()) {
                    groups.add(new Group(root, e));
                }
            }
            List<Entry> loose = new ArrayList<>();
            for (String uri : new ArrayList<>(left.keySet())) {
                if (isLog(uri)) {
                    loose.add(new Entry(uri, value(take(uri)), uri));
                }
            }
            if (!loose.isEmpty()) {
                groups.add(new Group(null, loose));
            }
            return groups;
        }

        List<Group> other() {
            List<Entry> e = new ArrayList<>();
            for (Map.Entry<String, ResultItem> x : left.entrySet()) {
                e.add(new Entry(x.getKey(), value(x.getValue()), x.getKey()));
            }
            left.clear();
            return e.isEmpty() ? List.of() : List.of(new Group(null, e));
        }

        Section section(Kind kind, List<Group> groups, List<Read> reads) {
            List<Read> mine = reads.stream().filter(r -> r.section() == kind).toList();
            // entries without a node (the registry's DevId, a serial taken from it) are not reports
            boolean empty = groups.stream().flatMap(g -> g.entries().stream()).allMatch(e -> e.uri() == null);
            String note = null;
            if (empty) {
                if (mine.isEmpty()) {
                    note = kind == Kind.OTHER ? null : "not requested";
                } else if (mine.stream().allMatch(r -> r.status() == null)) {
                    note = "no answer yet";
                } else if (mine.stream().anyMatch(r -> r.status() != null && r.status() == 404)) {
                    note = "not reported by the device (404)";
                } else {
                    Read failed = mine.stream().filter(Read::failed).findFirst().orElse(null);
                    note = failed == null ? "nothing reported" : "read failed: " + failed.statusText();
                }
            } else {
                List<String> problems = mine.stream().filter(r -> r.failed() || r.status() == null)
                        .map(r -> path(r.uri()) + " " + r.statusText()).toList();
                if (!problems.isEmpty()) {
                    note = "partial: " + String.join("; ", problems);
                }
            }
            return new Section(kind, note, groups);
        }
    }

    /**
     * @param uris leaf URIs
     * @param root an interior node's URI
     * @return the names of the children of {@code root} that some leaf lies under, in the leaves' order
     */
    static List<String> childNames(java.util.Collection<String> uris, String root) {
        Set<String> names = new LinkedHashSet<>();
        String prefix = root + "/";
        for (String uri : uris) {
            if (uri.startsWith(prefix)) {
                String rest = uri.substring(prefix.length());
                int slash = rest.indexOf('/');
                if (slash > 0) {
                    names.add(rest.substring(0, slash));
                }
            }
        }
        return new ArrayList<>(names);
    }
}

package org.cardinaldm.server.rest.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.HelpDeskReport;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.api.SessionInfo;
import org.cardinaldm.server.api.UserAlert;
import org.cardinaldm.server.api.UserAnswers;

/**
 * The JSON shapes of the API, built field by field from the server's API types: nothing is serialised
 * by reflection, so a secret added to a record later cannot leak. Times are ISO-8601 UTC strings (or
 * null), enums lower-case.
 */
final class Views {
    private Views() {
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    static String name(Enum<?> e) {
        return e == null ? null : e.name().toLowerCase(Locale.ROOT);
    }

    /** One line of the device list: what {@code dms:devices} shows. */
    static Map<String, Object> deviceSummary(Device d, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", d.deviceId());
        m.put("cardId", d.cardId());
        m.put("state", name(d.state(now)));
        m.put("lastContact", time(d.lastContact()));
        m.put("authFailures", d.authFailures());
        m.put("totalAuthFailures", d.totalAuthFailures());
        m.put("lockedUntil", time(d.lockedUntil()));
        return m;
    }

    /** Everything the server knows about a device, secrets excepted: what {@code dms:device} shows. */
    static Map<String, Object> device(Device d, Instant now, List<DeviceAlert> alerts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", d.deviceId());
        m.put("state", name(d.state(now)));
        m.put("enabled", d.enabled());
        m.put("cardId", d.cardId());
        m.put("firstContact", time(d.firstContact()));
        m.put("lastContact", time(d.lastContact()));
        m.put("clientAuth", name(d.clientAuth()));
        m.put("clientUser", d.clientUser());
        m.put("serverAuth", name(d.serverAuth()));
        m.put("serverUser", d.serverUser());
        m.put("authFailures", d.authFailures());
        m.put("totalAuthFailures", d.totalAuthFailures());
        m.put("lockedUntil", time(d.lockedUntil()));
        m.put("pushAddress", d.pushAddress());
        m.put("devInfo", new TreeMap<>(d.devInfo()));
        if (alerts != null) {
            m.put("alerts", alerts.stream().map(Views::alert).toList());
        }
        return m;
    }

    static Map<String, Object> alert(DeviceAlert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", time(a.time()));
        m.put("sessionId", a.sessionId());
        m.put("code", a.code());
        m.put("type", a.type());
        m.put("format", a.format());
        m.put("mark", a.mark());
        m.put("source", a.source());
        m.put("correlator", a.correlator());
        m.put("data", a.data());
        return m;
    }

    /** A job in a list: its state and progress, as {@code dms:jobs} shows it. */
    static Map<String, Object> jobSummary(Job j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("deviceId", j.deviceId());
        m.put("description", j.description());
        m.put("state", name(j.state()));
        m.put("created", time(j.created()));
        m.put("updated", time(j.updated()));
        List<Operation> flat = j.flatOperations();
        int answered = 0;
        for (int i = 0; i < flat.size(); i++) {
            if (j.result(i).isPresent()) {
                answered++;
            }
        }
        m.put("operationCount", flat.size());
        m.put("answered", answered);
        return m;
    }

    /**
     * A job with its operations (as submitted, Atomic and Sequence groups nested) and every answer: one entry
     * per operation depth first, the numbering of {@code OperationResult.index}, with the index of its Atomic
     * or Sequence ({@code parent}, null at the top), its Status and the items of its Results or Status; for a
     * user-interaction alert what the user answered ({@code answer}: yes, the text, the chosen choices, or
     * the refusal), {@code notExecuted} for a 215, and for a failed job the reason the user interaction gave
     * ({@code failure}). What {@code dms:results} shows.
     */
    static Map<String, Object> job(Job j) {
        Map<String, Object> m = jobSummary(j);
        if (j.state() == JobState.FAILED) {
            UserAnswers.failure(j).ifPresent(f -> m.put("failure", f));
        }
        m.put("operations", j.operations().stream().map(Views::operation).toList());
        List<Map<String, Object>> results = new ArrayList<>();
        List<Operation> flat = j.flatOperations();
        List<Integer> parents = new ArrayList<>();
        for (Operation o : j.operations()) {
            parents(o, null, parents);
        }
        for (int i = 0; i < flat.size(); i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", i);
            r.put("parent", parents.get(i));
            Operation op = flat.get(i);
            r.put("kind", name(op.kind()));
            r.put("target", op.target());
            OperationResult res = j.result(i).orElse(null);
            r.put("status", res == null ? null : res.status());
            r.put("time", res == null ? null : time(res.time()));
            r.put("items", res == null ? List.of() : res.items().stream().map(Views::item).toList());
            Optional<UserAlert> alert = op.userAlert();
            if (alert.isPresent() && (res != null || j.state() == JobState.FAILED)) {
                r.put("answer", UserAnswers.describe(alert.get(), res));
            }
            if (res != null && res.status() == NOT_EXECUTED) {
                r.put("notExecuted", true);
            }
            results.add(r);
        }
        m.put("results", results);
        return m;
    }

    /** SyncML 215, Not executed. */
    private static final int NOT_EXECUTED = 215;

    private static void parents(Operation o, Integer parent, List<Integer> out) {
        int me = out.size();
        out.add(parent);
        for (Operation c : o.children()) {
            parents(c, me, out);
        }
    }

    /** A user-interaction alert: its code, kind, text, choices and options, and the options as sent. */
    static Map<String, Object> alert(UserAlert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", a.code());
        m.put("alert", a.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        m.put("text", a.text());
        if (!a.choices().isEmpty()) {
            m.put("choices", a.choices());
        }
        if (a.minDisplaySeconds() > 0) {
            m.put("minDisplaySeconds", a.minDisplaySeconds());
        }
        if (a.maxDisplaySeconds() > 0) {
            m.put("maxDisplaySeconds", a.maxDisplaySeconds());
        }
        if (a.defaultResponse() != null) {
            m.put("defaultResponse", a.defaultResponse());
        }
        if (a.maxLength() > 0) {
            m.put("maxLength", a.maxLength());
        }
        if (a.inputType() != null) {
            m.put("inputType", a.inputType().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        if (a.echo() != null) {
            m.put("echo", a.echo().name().toLowerCase(Locale.ROOT));
        }
        m.put("options", a.options());
        return m;
    }

    static Map<String, Object> operation(Operation o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", name(o.kind()));
        if (o.target() != null) {
            m.put("target", o.target());
        }
        if (o.source() != null) {
            m.put("source", o.source());
        }
        if (o.kind() == OperationKind.ALERT) {
            m.putAll(alert(o.userAlert().orElseThrow()));
        } else if (o.data() != null) {
            m.put("data", o.data());
        }
        if (o.format() != null) {
            m.put("format", o.format());
        }
        if (o.type() != null) {
            m.put("type", o.type());
        }
        if (o.correlator() != null) {
            m.put("correlator", o.correlator());
        }
        if (!o.children().isEmpty()) {
            m.put("operations", o.children().stream().map(Views::operation).toList());
        }
        return m;
    }

    /**
     * A help-desk report: its sections with their groups of labelled values, every read with its
     * status, and how many secret-looking leaves were withheld.
     */
    static Map<String, Object> report(HelpDeskReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", r.deviceId());
        m.put("jobs", r.jobIds());
        m.put("complete", r.complete());
        List<Map<String, Object>> sections = new ArrayList<>();
        for (HelpDeskReport.Section s : r.sections()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("kind", name(s.kind()));
            sm.put("title", s.kind().title());
            sm.put("note", s.note());
            List<Map<String, Object>> groups = new ArrayList<>();
            for (HelpDeskReport.Group g : s.groups()) {
                Map<String, Object> gm = new LinkedHashMap<>();
                gm.put("name", g.name());
                List<Map<String, Object>> entries = new ArrayList<>();
                for (HelpDeskReport.Entry e : g.entries()) {
                    Map<String, Object> em = new LinkedHashMap<>();
                    em.put("label", e.label());
                    em.put("value", e.value());
                    em.put("uri", e.uri());
                    entries.add(em);
                }
                gm.put("entries", entries);
                groups.add(gm);
            }
            sm.put("groups", groups);
            sections.add(sm);
        }
        m.put("sections", sections);
        List<Map<String, Object>> reads = new ArrayList<>();
        for (HelpDeskReport.Read x : r.reads()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("job", x.jobId());
            rm.put("index", x.index());
            rm.put("uri", x.uri());
            rm.put("status", x.status());
            rm.put("statusText", x.statusText());
            rm.put("failed", x.failed());
            rm.put("section", name(x.section()));
            reads.add(rm);
        }
        m.put("reads", reads);
        m.put("withheld", r.withheld());
        return m;
    }

    static Map<String, Object> item(ResultItem i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uri", i.uri());
        m.put("format", i.format());
        m.put("type", i.type());
        m.put("value", i.value());
        m.put("binary", i.binary());
        return m;
    }

    static Map<String, Object> notification(NotificationRecord n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", n.deviceId());
        m.put("sessionId", n.sessionId());
        m.put("address", n.address());
        m.put("ui", name(n.ui()));
        m.put("state", name(n.state()));
        m.put("attempts", n.attempts());
        m.put("firstSent", time(n.firstSent()));
        m.put("lastSent", time(n.lastSent()));
        m.put("detail", n.detail());
        return m;
    }

    static Map<String, Object> node(ServerNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodeId", n.nodeId());
        m.put("incarnation", n.incarnation());
        m.put("state", name(n.state()));
        m.put("started", time(n.started()));
        m.put("lastBeat", time(n.lastBeat()));
        m.put("beats", n.beats());
        m.put("ended", time(n.ended()));
        return m;
    }

    static Map<String, Object> session(SessionInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", s.deviceId());
        m.put("sessionId", s.sessionId());
        m.put("authenticated", s.authenticated());
        m.put("started", time(s.started()));
        m.put("lastActivity", time(s.lastActivity()));
        m.put("messagesIn", s.messagesIn());
        m.put("messagesOut", s.messagesOut());
        m.put("pendingCommands", s.pendingCommands());
        return m;
    }
}

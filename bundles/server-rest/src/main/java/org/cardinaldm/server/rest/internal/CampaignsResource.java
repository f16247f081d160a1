package org.cardinaldm.server.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.ws.rs.Consumes;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.CampaignProgress;
import org.cardinaldm.fumo.server.api.CampaignService;
import org.cardinaldm.fumo.server.api.CampaignSpec;
import org.cardinaldm.fumo.server.api.DeviceFilter;
import org.cardinaldm.fumo.server.api.DeviceTags;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.fumo.server.api.MaintenanceWindow;
import org.cardinaldm.fumo.server.api.WaveSize;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.server.packages.api.PackageRejectedException;
import org.cardinaldm.server.packages.api.PublishedPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Firmware campaigns and packages ({@code dms:fumo-*}): {@code GET/POST /campaigns}, {@code GET /campaigns/{id}}
 * with its progress and devices, {@code POST /campaigns/{id}/start|pause|resume|cancel}, {@code GET/POST
 * /device-tags/{id}}, {@code GET /firmware/packages} and {@code POST /firmware/packages/{name}} (the payload as the
 * body, streamed to the catalogue, the signed manifest base64 in {@code X-Cardinal-Manifest}). Present only when
 * fumo-server and server-packages run.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public final class CampaignsResource {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignsResource.class);
    static final Set<String> CAMPAIGN_FIELDS = Set.of("name", "package", "filter", "waves", "successThreshold",
            "errorThreshold", "window", "fumoInstance", "consent", "question");
    static final Set<String> FILTER_FIELDS = Set.of("manufacturer", "model", "firmwareVersion", "cardPresent", "tags",
            "deviceIds");
    /** The longest signed manifest accepted in the header, base64. */
    static final int MAX_MANIFEST_BASE64 = 64 * 1024;

    private final CampaignService campaigns;
    private final DeviceTags tags;
    private final PackageCatalog catalog;

    CampaignsResource(CampaignService campaigns, DeviceTags tags, PackageCatalog catalog) {
        this.campaigns = campaigns;
        this.tags = tags;
        this.catalog = catalog;
    }

    /** @return every campaign, newest first, with its total progress */
    @GET
    @Path("campaigns")
    public List<Map<String, Object>> list() {
        return campaigns.campaigns().stream().map(c -> view(c, campaigns.progress(c.id()), null)).toList();
    }

    /**
     * @param id the campaign
     * @param limit the most devices listed
     * @return the campaign with progress per wave and its devices
     */
    @GET
    @Path("campaigns/{id}")
    public Map<String, Object> get(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("100") int limit) {
        long n = id(id);
        Campaign c = campaigns.campaign(n).orElseThrow(() -> ApiError.notFound("no campaign " + n));
        return view(c, campaigns.progress(n), campaigns.devices(n, Set.of(), DevicesResource.limit(limit, 10_000)));
    }

    /**
     * @param body the campaign: name, package, filter, waves, thresholds, window, fumoInstance, consent, question
     * @param sc the operator
     * @return the created campaign (not started)
     */
    @POST
    @Path("campaigns")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> create(JsonNode body, @Context SecurityContext sc) {
        JsonNode o = Requests.object(body, false, CAMPAIGN_FIELDS, "campaign");
        Campaign c = run(() -> campaigns.create(spec(o)));
        LOG.info("Operator {} created firmware campaign {}", DevicesResource.operator(sc), c.id());
        return view(c, campaigns.progress(c.id()), null);
    }

    /**
     * @param id the campaign
     * @param action start, pause, resume or cancel
     * @param sc the operator
     * @return the campaign after the action; 409 when its state does not allow it
     */
    @POST
    @Path("campaigns/{id}/{action}")
    public Map<String, Object> act(@PathParam("id") String id, @PathParam("action") String action,
            @Context SecurityContext sc) {
        long n = id(id);
        Campaign c = run(() -> switch (action) {
            case "start" -> campaigns.start(n);
            case "pause" -> campaigns.pause(n);
            case "resume" -> campaigns.resume(n);
            case "cancel" -> campaigns.cancel(n);
            default -> throw ApiError.notFound("no action " + (action.length() > 20 ? "" : action)
                    + " (start, pause, resume, cancel)");
        });
        LOG.info("Operator {}: firmware campaign {} {}", DevicesResource.operator(sc), n, action);
        return view(c, campaigns.progress(n), null);
    }

    /**
     * @param id a DevId
     * @return its tags
     */
    @GET
    @Path("device-tags/{id}")
    public Set<String> tags(@PathParam("id") String id) {
        return tags.tags(id);
    }

    /**
     * @param id a DevId
     * @param body {@code {"add": [...], "remove": [...]}}
     * @return its tags after the change
     */
    @POST
    @Path("device-tags/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Set<String> changeTags(@PathParam("id") String id, JsonNode body) {
        JsonNode o = Requests.object(body, false, Set.of("add", "remove"), "tags");
        List<String> add = strings(o, "add");
        List<String> remove = strings(o, "remove");
        return run(() -> {
            Set<String> now = tags.remove(id, remove);
            return add.isEmpty() ? now : tags.add(id, add);
        });
    }

    /** @return the published packages */
    @GET
    @Path("firmware/packages")
    public List<Map<String, Object>> packages() {
        return catalog.list().stream().map(CampaignsResource::view).toList();
    }

    /**
     * Publishes a package: the body is the payload, streamed to the catalogue (never held in memory); the catalogue
     * checks the manifest's signature against the trusted signers and the payload against the manifest.
     *
     * @param name the file name devices download it under
     * @param manifest the signed manifest (CMS SignedData, DER), base64, at most 64 KiB of text
     * @param replace whether a package of that name may be replaced
     * @param payload the payload
     * @param sc the operator
     * @return the published package; 400 when refused
     */
    @POST
    @Path("firmware/packages/{name}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Map<String, Object> publish(@PathParam("name") String name,
            @HeaderParam("X-Cardinal-Manifest") String manifest, @QueryParam("replace") boolean replace,
            InputStream payload, @Context SecurityContext sc) {
        if (manifest == null || manifest.isBlank() || manifest.length() > MAX_MANIFEST_BASE64) {
            throw ApiError.badRequest("the signed manifest is required, base64, in X-Cardinal-Manifest (at most "
                    + MAX_MANIFEST_BASE64 + " characters)");
        }
        byte[] signed;
        try {
            signed = Base64.getDecoder().decode(manifest.strip());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("X-Cardinal-Manifest is not base64");
        }
        try (InputStream in = payload) {
            PublishedPackage p = catalog.publish(name, in, signed, replace);
            LOG.info("Operator {} published package {}", DevicesResource.operator(sc), p.fileName());
            return view(p);
        } catch (PackageRejectedException e) {
            throw ApiError.badRequest("refused: " + e.getMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("the upload was cut");
        }
    }

    private static CampaignSpec spec(JsonNode o) {
        JsonNode f = o.get("filter");
        DeviceFilter filter = DeviceFilter.all();
        if (f != null && !f.isNull()) {
            Requests.object(f, false, FILTER_FIELDS, "campaign.filter");
            JsonNode card = f.get("cardPresent");
            if (card != null && !card.isNull() && !card.isBoolean()) {
                throw ApiError.badRequest("campaign.filter.cardPresent must be true or false");
            }
            filter = new DeviceFilter(Requests.text(f, "manufacturer", "campaign.filter"),
                    Requests.text(f, "model", "campaign.filter"), Requests.text(f, "firmwareVersion", "campaign.filter"),
                    card == null || card.isNull() ? null : card.booleanValue(), Set.copyOf(strings(f, "tags")),
                    Set.copyOf(strings(f, "deviceIds")));
        }
        String window = Requests.text(o, "window", "campaign");
        return new CampaignSpec(Requests.required(o, "name", "campaign"), Requests.required(o, "package", "campaign"),
                filter, WaveSize.parseList(Requests.text(o, "waves", "campaign")),
                o.has("successThreshold") ? Requests.integer(o, "successThreshold", "campaign") : 100,
                o.has("errorThreshold") ? Requests.integer(o, "errorThreshold", "campaign") : 10,
                window == null ? null : MaintenanceWindow.parse(window), Requests.text(o, "fumoInstance", "campaign"),
                Requests.bool(o, "consent", "campaign"), Requests.text(o, "question", "campaign"));
    }

    private static List<String> strings(JsonNode o, String field) {
        JsonNode v = o.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray() || v.size() > DeviceFilter.MAX_IDS) {
            throw ApiError.badRequest(field + " must be an array of strings");
        }
        for (JsonNode x : v) {
            if (!x.isTextual()) {
                throw ApiError.badRequest(field + " must be an array of strings");
            }
            out.add(x.textValue());
        }
        return out;
    }

    private static <T> T run(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalStateException e) {
            throw ApiError.conflict(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("a campaign id is a number");
        }
    }

    static Map<String, Object> view(Campaign c, CampaignProgress p, List<CampaignDevice> devices) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.spec().name());
        m.put("state", c.state().name().toLowerCase(Locale.ROOT));
        m.put("reason", c.reason());
        m.put("package", Map.of("file", c.pkg().fileName(), "name", c.pkg().name(), "version", c.pkg().version(),
                "url", c.pkg().url()));
        m.put("securityCounter", c.pkg().securityCounter());
        m.put("filter", c.spec().filter().toString());
        m.put("waves", c.waveSizes());
        m.put("currentWave", c.currentWave() + 1);
        m.put("successThreshold", c.spec().successThreshold());
        m.put("errorThreshold", c.spec().errorThreshold());
        m.put("window", c.spec().window() == null ? null : c.spec().window().toString());
        m.put("fumoInstance", c.spec().fumoInstance());
        m.put("consent", c.spec().consent());
        m.put("created", c.created().toString());
        m.put("updated", c.updated().toString());
        m.put("progress", counts(p.total()));
        if (devices != null) {
            m.put("waveProgress", p.waves().stream().map(CampaignsResource::counts).toList());
            m.put("devices", devices.stream().map(d -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("deviceId", d.deviceId());
                x.put("wave", d.wave() + 1);
                x.put("state", d.stateText());
                x.put("jobId", d.jobId());
                x.put("resultCode", d.resultCode());
                x.put("detail", d.detail());
                x.put("updated", d.updated().toString());
                return x;
            }).toList());
        }
        return m;
    }

    private static Map<String, Object> counts(CampaignProgress.Counts w) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (w.wave() >= 0) {
            m.put("wave", w.wave() + 1);
        }
        m.put("devices", w.devices());
        Map<String, Integer> by = new TreeMap<>();
        for (DeviceUpdateState s : EnumSet.allOf(DeviceUpdateState.class)) {
            by.put(s.label(), w.count(s));
        }
        m.put("byState", by);
        m.put("succeededPercent", w.succeededPercent());
        m.put("failedPercent", w.failedPercent());
        m.put("finishedPercent", w.finishedPercent());
        return m;
    }

    static Map<String, Object> view(PublishedPackage p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", p.fileName());
        m.put("kind", p.kind().name().toLowerCase(Locale.ROOT));
        m.put("name", p.name());
        m.put("version", p.version());
        m.put("securityCounter", p.securityCounter().isPresent() ? p.securityCounter().getAsLong() : null);
        m.put("deviceClasses", p.deviceClasses());
        m.put("length", p.length());
        m.put("sha256", p.sha256Hex());
        m.put("signerSha256", p.signerSha256Hex());
        m.put("published", p.published().toString());
        return m;
    }
}

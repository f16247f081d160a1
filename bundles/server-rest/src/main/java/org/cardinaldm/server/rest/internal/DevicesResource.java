package org.cardinaldm.server.rest.internal;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.InstallRequest;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code /devices}: the registry, and what is done to one device (its jobs, notifications, help
 * desk). The operations of {@code dms:devices}, {@code dms:device}, {@code dms:device-add},
 * {@code dms:device-unlock}, {@code dms:device-remove}, {@code dms:job-add}, {@code dms:notify},
 * {@code dms:helpdesk} and {@code dms:helpdesk-install}.
 */
@Path("devices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class DevicesResource {
    private static final Logger LOG = LoggerFactory.getLogger(DevicesResource.class);

    /** The description of help-desk jobs (the same as {@code dms:helpdesk}'s). */
    static final String HELP_DESK = HelpDesk.DESCRIPTION;

    private final DeviceManager devices;
    private final JobManager jobs;
    private final HelpDesk helpDesk;
    private final NotificationManager notifications;
    private final Clock clock;
    private final List<String> helpDeskUris;
    private final List<String> helpDeskOptionalUris;

    DevicesResource(DeviceManager devices, JobManager jobs, HelpDesk helpDesk, NotificationManager notifications,
            Clock clock, List<String> helpDeskUris, List<String> helpDeskOptionalUris) {
        this.devices = devices;
        this.jobs = jobs;
        this.helpDesk = helpDesk;
        this.notifications = notifications;
        this.clock = clock;
        this.helpDeskUris = List.copyOf(helpDeskUris);
        this.helpDeskOptionalUris = List.copyOf(helpDeskOptionalUris);
    }

    /** @return every device: DevId, card, state, last contact, lock-out counters */
    @GET
    public List<Map<String, Object>> list() {
        return devices.devices().stream().map(d -> Views.deviceSummary(d, clock.instant())).toList();
    }

    /**
     * @param id the DevId
     * @param alerts how many recent alerts to include
     * @return the device, secrets excepted
     */
    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id, @QueryParam("alerts") @DefaultValue("10") int alerts) {
        Device d = device(id);
        return Views.device(d, clock.instant(), devices.alerts(id, limit(alerts, 1000)));
    }

    /**
     * Registers a device; 409 when its DevId is registered already.
     *
     * @param body the registration (passwords are write-only)
     * @param uri the request URI
     * @param sc the operator
     * @return 201 with the device
     */
    @POST
    public Response register(JsonNode body, @Context UriInfo uri, @Context SecurityContext sc) {
        DeviceRegistration reg = Requests.registration(body, null);
        if (devices.device(reg.deviceId()).isPresent()) {
            throw ApiError.conflict("device " + reg.deviceId() + " is already registered"
                    + " (PUT /devices/{id}/credentials changes its credentials)");
        }
        Device d;
        try {
            d = devices.register(reg);
        } catch (IllegalArgumentException e) {
            throw ApiError.conflict(e.getMessage());
        }
        LOG.info("Operator {} registered device {}", operator(sc), reg.deviceId());
        URI location = uri == null ? URI.create("devices/" + reg.deviceId())
                : uri.getBaseUriBuilder().path(DevicesResource.class).path("{id}").build(reg.deviceId());
        return Response.created(location).entity(Views.device(d, clock.instant(), null)).build();
    }

    /**
     * Replaces a device's credentials (and starts fresh nonces), like {@code dms:device-add --update}.
     *
     * @param id the DevId
     * @param body the new credentials
     * @param sc the operator
     * @return the device
     */
    @PUT
    @Path("{id}/credentials")
    public Map<String, Object> updateCredentials(@PathParam("id") String id, JsonNode body,
            @Context SecurityContext sc) {
        device(id);
        DeviceRegistration reg = Requests.registration(body, id);
        Device d;
        try {
            d = devices.updateCredentials(reg);
        } catch (IllegalArgumentException e) {
            throw ApiError.notFound(e.getMessage());
        }
        LOG.info("Operator {} replaced the credentials of device {}", operator(sc), id);
        return Views.device(d, clock.instant(), null);
    }

    /**
     * Forgets a device with its jobs, results and alerts.
     *
     * @param id the DevId
     * @param sc the operator
     * @return 204
     */
    @DELETE
    @Path("{id}")
    public Response remove(@PathParam("id") String id, @Context SecurityContext sc) {
        if (!devices.remove(id)) {
            throw unknownDevice(id);
        }
        LOG.info("Operator {} removed device {}", operator(sc), id);
        return Response.noContent().build();
    }

    /**
     * Ends a lock-out and resets the failure counter.
     *
     * @param id the DevId
     * @param sc the operator
     * @return the device
     */
    @POST
    @Path("{id}/unlock")
    public Map<String, Object> unlock(@PathParam("id") String id, @Context SecurityContext sc) {
        if (!devices.unlock(id)) {
            throw unknownDevice(id);
        }
        LOG.info("Operator {} unlocked device {}", operator(sc), id);
        return Views.device(device(id), clock.instant(), null);
    }

    /**
     * @param id the DevId
     * @param sc the operator
     * @return the device, refused until enabled again
     */
    @POST
    @Path("{id}/disable")
    public Map<String, Object> disable(@PathParam("id") String id, @Context SecurityContext sc) {
        return enable(id, false, sc);
    }

    /**
     * @param id the DevId
     * @param sc the operator
     * @return the device, admitted again
     */
    @POST
    @Path("{id}/enable")
    public Map<String, Object> enable(@PathParam("id") String id, @Context SecurityContext sc) {
        return enable(id, true, sc);
    }

    private Map<String, Object> enable(String id, boolean enabled, SecurityContext sc) {
        if (!devices.setEnabled(id, enabled)) {
            throw unknownDevice(id);
        }
        LOG.info("Operator {} {} device {}", operator(sc), enabled ? "enabled" : "disabled", id);
        return Views.device(device(id), clock.instant(), null);
    }

    /**
     * @param id the DevId
     * @param limit the most alerts
     * @return the device's Generic Alerts and Client Events, newest first
     */
    @GET
    @Path("{id}/alerts")
    public List<Map<String, Object>> alerts(@PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        device(id);
        return devices.alerts(id, limit(limit, 10000)).stream().map(Views::alert).toList();
    }

    /**
     * @param id the DevId
     * @param limit the most jobs
     * @return the device's jobs, newest first
     */
    @GET
    @Path("{id}/jobs")
    public List<Map<String, Object>> jobs(@PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        device(id);
        return jobs.jobs(id, limit(limit, 1000)).stream().map(Views::jobSummary).toList();
    }

    /**
     * Queues a job of ordered operations (Atomic groups and {@code ./SmartCard/...} targets included)
     * for the device's next session.
     *
     * @param id the DevId
     * @param body {@code {"description": ..., "operations": [...]}}
     * @param uri the request URI
     * @param sc the operator
     * @return 201 with the job
     */
    @POST
    @Path("{id}/jobs")
    public Response submit(@PathParam("id") String id, JsonNode body, @Context UriInfo uri,
            @Context SecurityContext sc) {
        device(id);
        JsonNode o = Requests.object(body, false, Requests.JOB_FIELDS, "job");
        List<Operation> ops = Requests.operations(o);
        return created(submit(id, Requests.description(o), ops), uri, sc);
    }

    private Job submit(String id, String description, List<Operation> ops) {
        try {
            return jobs.submit(id, description, ops);
        } catch (IllegalArgumentException e) {
            if (devices.device(id).isEmpty()) {
                throw unknownDevice(id);
            }
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private Response created(Job job, UriInfo uri, SecurityContext sc) {
        LOG.info("Operator {} queued job {} for device {} ({} operations)", operator(sc), job.id(), job.deviceId(),
                job.flatOperations().size());
        URI location = uri == null ? URI.create("jobs/" + job.id())
                : uri.getBaseUriBuilder().path(JobsResource.class).path("{id}").build(job.id());
        return Response.created(location).entity(Views.job(job)).build();
    }

    /**
     * Sends a package 0 so that the device opens a session now.
     *
     * @param id the DevId
     * @param body optional {@code {"ui": "background|informative|user|unspecified"}}
     * @param sc the operator
     * @return the notification (state sent or failed); 409 when the device has no push address
     */
    @POST
    @Path("{id}/notify")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Map<String, Object> notify(@PathParam("id") String id, JsonNode body, @Context SecurityContext sc) {
        Device d = device(id);
        var ui = Requests.ui(body);
        if (d.pushAddress() == null || d.pushAddress().isBlank()) {
            throw ApiError.conflict("device " + id + " has no push address");
        }
        NotificationRecord r;
        try {
            r = notifications.notify(id, ui);
        } catch (IllegalArgumentException e) {
            throw ApiError.conflict(e.getMessage());
        }
        LOG.info("Operator {} notified device {}: {}", operator(sc), id, r.state());
        return Views.notification(r);
    }

    /**
     * @param id the DevId
     * @param limit the most records
     * @return the device's notifications (every node's, when the registry keeps them), newest first
     */
    @GET
    @Path("{id}/notifications")
    public List<Map<String, Object>> notifications(@PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("20") int limit) {
        device(id);
        return notifications.notifications(id, limit(limit, 1000)).stream().map(Views::notification).toList();
    }

    /**
     * The help desk's "install and start an application after the user agrees" (issue 15): one job, a
     * Sequence of a confirmation (Alert 1101 with MAXDT, never a default response), the SCOMO download
     * descriptor {@code ./SCOMO/Download/<X>} (PkgID, Name, PkgURL) and an Exec of its
     * {@code Operations/DownloadInstall} ({@code DownloadInstallInactive} when {@code inactive}). Administrators
     * only, like every write.
     *
     * @param id the DevId
     * @param body {@code {"name": "...", "packageUrl": "https://...", "version": "1.0", "inactive": false,
     *        "question": "...", "maxDisplaySeconds": 120}} (name and packageUrl required)
     * @param uri the request URI
     * @param sc the operator
     * @return 201 with the job
     */
    @POST
    @Path("{id}/helpdesk/install")
    public Response helpDeskInstall(@PathParam("id") String id, JsonNode body, @Context UriInfo uri,
            @Context SecurityContext sc) {
        device(id);
        InstallRequest request = Requests.install(body);
        Job job;
        try {
            job = helpDesk.install(id, request);
        } catch (IllegalArgumentException e) {
            if (devices.device(id).isEmpty()) {
                throw unknownDevice(id);
            }
            throw ApiError.badRequest(e.getMessage());
        }
        return created(job, uri, sc);
    }

    /**
     * Queues a help-desk request (RD use case 5.2.1): {@code ?list=StructData} reads of the configured
     * subtrees ({@code ./DevInfo}, {@code ./DevDetail}, {@code ./DMAcc}, {@code ./SmartCard/Info}) and, in
     * a second job, of the optional ones a device may lack ({@code ./SmartCard/Policy},
     * {@code ./SCOMO/Inventory}, {@code ./DiagMon}, {@code ./FUMO}); or one job of the given subtrees. With
     * {@code notify} it asks the device to connect now.
     *
     * @param id the DevId
     * @param body optional {@code {"uris": [...], "notify": true}}
     * @param uri the request URI
     * @param sc the operator
     * @return 201 with the first job, {@code jobs} (every job id of the request) and the notification
     *         when asked
     */
    @POST
    @Path("{id}/helpdesk")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Response helpDesk(@PathParam("id") String id, JsonNode body, @Context UriInfo uri,
            @Context SecurityContext sc) {
        Device d = device(id);
        JsonNode o = Requests.object(body, true, Requests.HELPDESK_FIELDS, "helpdesk");
        List<String> uris = new ArrayList<>();
        JsonNode given = o.get("uris");
        if (given != null && !given.isNull()) {
            if (!given.isArray() || given.isEmpty()) {
                throw ApiError.badRequest("helpdesk.uris must be a non-empty array of URIs");
            }
            for (JsonNode u : given) {
                if (!u.isTextual() || u.textValue().isBlank()) {
                    throw ApiError.badRequest("helpdesk.uris must hold URIs");
                }
                uris.add(u.textValue());
            }
        }
        JsonNode notify = o.get("notify");
        if (notify != null && !notify.isNull() && !notify.isBoolean()) {
            throw ApiError.badRequest("helpdesk.notify must be true or false");
        }
        boolean wantNotify = notify != null && notify.booleanValue();
        if (wantNotify && (d.pushAddress() == null || d.pushAddress().isBlank())) {
            throw ApiError.conflict("device " + id + " has no push address (queue without notify)");
        }
        List<Job> request;
        try {
            request = uris.isEmpty() ? helpDesk.submit(id, helpDeskUris, helpDeskOptionalUris)
                    : helpDesk.submit(id, uris, List.of());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        Response created = created(request.get(0), uri, sc);
        for (Job j : request.subList(1, request.size())) {
            LOG.info("Operator {} queued job {} for device {} (optional help-desk reads)", operator(sc), j.id(), id);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> entity = new LinkedHashMap<>((Map<String, Object>) created.getEntity());
        entity.put("jobs", request.stream().map(Job::id).toList());
        if (wantNotify) {
            try {
                entity.put("notification", Views.notification(notifications.notify(id,
                        org.cardinaldm.server.api.NotificationUi.BACKGROUND)));
            } catch (IllegalArgumentException e) {
                entity.put("notification", ApiError.body(409, e.getMessage()));
            }
        }
        return Response.created(created.getLocation()).entity(entity).build();
    }

    /**
     * A help-desk request and what the device answered: the latest request of the device (or the
     * one of {@code job}), its {@code report} in sections (Device, Card, Connectivity, Installed
     * applications, Logs, Other; secret-looking leaves dropped) and, as before, the raw {@code answers}
     * (one per read with {@code status} and {@code items}).
     *
     * @param id the DevId
     * @param jobId a job of the request to show, or null for the latest
     * @return {@code {"job", "jobs", "complete", "report", "answers", "device"}}; 404 when there is none
     */
    @GET
    @Path("{id}/helpdesk")
    public Map<String, Object> helpDeskAnswers(@PathParam("id") String id, @QueryParam("job") Long jobId) {
        Device d = device(id);
        List<Job> request = jobId == null ? helpDesk.latest(id) : helpDesk.request(jobId);
        if (request.isEmpty() || !request.get(0).deviceId().equals(id)) {
            throw ApiError.notFound(jobId == null
                    ? "no help-desk request for device " + id + " (POST /devices/{id}/helpdesk)"
                    : "job " + jobId + " is no help-desk job of device " + id);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", Views.jobSummary(request.get(0)));
        m.put("jobs", request.stream().map(Views::jobSummary).toList());
        m.put("complete", request.stream().allMatch(j -> j.state().isSettled()));
        m.put("report", Views.report(helpDesk.report(request)));
        List<Map<String, Object>> answers = new ArrayList<>();
        for (Job job : request) {
            List<Operation> flat = job.flatOperations();
            for (int i = 0; i < flat.size(); i++) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("job", job.id());
                a.put("uri", flat.get(i).target());
                var res = job.result(i);
                a.put("status", res.map(r -> (Object) r.status()).orElse(null));
                a.put("items", res.map(r -> r.items().stream().map(Views::item).toList()).orElse(List.of()));
                answers.add(a);
            }
        }
        m.put("answers", answers);
        m.put("device", Views.device(d, clock.instant(), null));
        return m;
    }

    private Device device(String id) {
        return devices.device(id).orElseThrow(() -> unknownDevice(id));
    }

    static javax.ws.rs.WebApplicationException unknownDevice(String id) {
        return ApiError.notFound("no device " + id + " is registered");
    }

    static int limit(int asked, int max) {
        if (asked < 1) {
            throw ApiError.badRequest("limit must be at least 1");
        }
        return Math.min(asked, max);
    }

    static String operator(SecurityContext sc) {
        return sc == null || sc.getUserPrincipal() == null ? "(anonymous)" : sc.getUserPrincipal().getName();
    }
}

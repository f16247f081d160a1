package org.cardinaldm.server.rest.internal;

import java.util.List;
import java.util.Map;

import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /jobs}: jobs of every device with their progress, and one job with every Status and Results
 * ({@code dms:jobs}, {@code dms:results}, {@code dms:job-cancel}). Jobs are created under
 * {@code /devices/{id}/jobs}.
 */
@Path("jobs")
@Produces(MediaType.APPLICATION_JSON)
public final class JobsResource {
    private static final Logger LOG = LoggerFactory.getLogger(JobsResource.class);

    private final JobManager jobs;

    JobsResource(JobManager jobs) {
        this.jobs = jobs;
    }

    /**
     * @param device a DevId, or none for every device
     * @param limit the most jobs
     * @return jobs, newest first
     */
    @GET
    public List<Map<String, Object>> list(@QueryParam("device") String device,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        return jobs.jobs(device == null || device.isEmpty() ? null : device, DevicesResource.limit(limit, 1000))
                .stream().map(Views::jobSummary).toList();
    }

    /**
     * @param id the job id
     * @return the job, its operations and every answer
     */
    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return Views.job(job(id));
    }

    /**
     * Cancels a job that has not been sent yet: 409 when it has.
     *
     * @param id the job id
     * @param sc the operator
     * @return the cancelled job
     */
    @DELETE
    @Path("{id}")
    public Map<String, Object> cancel(@PathParam("id") String id, @Context SecurityContext sc) {
        Job job = job(id);
        if (!jobs.cancel(job.id())) {
            Job now = jobs.job(job.id()).orElse(job);
            throw ApiError.conflict("job " + job.id() + " is " + Views.name(now.state())
                    + ": only a pending job can be cancelled");
        }
        LOG.info("Operator {} cancelled job {}", DevicesResource.operator(sc), job.id());
        return Views.job(jobs.job(job.id()).orElse(job));
    }

    private Job job(String id) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("a job id is a number");
        }
        return jobs.job(n).orElseThrow(() -> ApiError.notFound("no job " + n));
    }
}

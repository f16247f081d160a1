package org.cardinaldm.server.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.HelpDeskReport;
import org.cardinaldm.server.api.InstallRequest;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The help desk over the server's jobs: requests are jobs with the descriptions {@link HelpDesk} defines,
 * and reports are made by {@link HelpDeskReports}.
 */
@Component(service = HelpDesk.class, configurationPid = "org.cardinaldm.server.helpdesk")
public final class HelpDeskService implements HelpDesk {
    /** How many of a device's newest jobs are searched for a request's jobs. */
    private static final int SCAN = 200;

    private final JobManager jobs;

    /** @param jobs the job manager the requests are queued in */
    @Activate
    public HelpDeskService(@Reference JobManager jobs) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
    }

    @Override
    public List<Job> submit(String deviceId, List<String> uris) {
        if (uris != null && !uris.isEmpty()) {
            return submit(deviceId, uris, List.of());
        }
        return submit(deviceId, STANDARD_URIS, OPTIONAL_URIS);
    }

    @Override
    public List<Job> submit(String deviceId, List<String> standardUris, List<String> optionalUris) {
        if (standardUris == null || standardUris.isEmpty()) {
            throw new IllegalArgumentException("a help-desk request needs at least one subtree to read");
        }
        Job standard = jobs.submit(deviceId, DESCRIPTION, standardUris.stream().map(HelpDesk::read).toList());
        if (optionalUris == null || optionalUris.isEmpty()) {
            return List.of(standard);
        }
        Job optional = jobs.submit(deviceId, HelpDesk.optionalDescription(standard.id()),
                optionalUris.stream().map(HelpDesk::read).toList());
        return List.of(standard, optional);
    }

    @Override
    public List<Job> request(long jobId) {
        Optional<Job> found = jobs.job(jobId);
        if (found.isEmpty() || !HelpDesk.isHelpDesk(found.get())) {
            return List.of();
        }
        Job job = found.get();
        if (!DESCRIPTION.equals(job.description())) {
            long standardId;
            try {
                standardId = Long.parseLong(job.description().substring(OPTIONAL_DESCRIPTION_PREFIX.length()).trim());
            } catch (NumberFormatException e) {
                return List.of(job);
            }
            return jobs.job(standardId).filter(s -> s.deviceId().equals(job.deviceId())).map(s -> List.of(s, job))
                    .orElse(List.of(job));
        }
        String companion = HelpDesk.optionalDescription(job.id());
        // queued right after the standard job: nearly always the next id
        for (long next = job.id() + 1; next <= job.id() + 3; next++) {
            Optional<Job> o = jobs.job(next);
            if (o.isPresent() && companion.equals(o.get().description()) && o.get().deviceId().equals(job.deviceId())) {
                return List.of(job, o.get());
            }
        }
        return jobs.jobs(job.deviceId(), SCAN).stream().filter(j -> companion.equals(j.description()))
                .findFirst().map(o -> List.of(job, o)).orElse(List.of(job));
    }

    @Override
    public List<Job> latest(String deviceId) {
        return jobs.jobs(deviceId, SCAN).stream().filter(j -> DESCRIPTION.equals(j.description())).findFirst()
                .map(j -> request(j.id())).orElse(List.of());
    }

    @Override
    public Job install(String deviceId, InstallRequest request) {
        Objects.requireNonNull(request, "request");
        return jobs.submit(deviceId, request.description(), List.of(request.operation()));
    }

    @Override
    public HelpDeskReport report(List<Job> requestJobs) {
        return HelpDeskReports.build(requestJobs);
    }
}

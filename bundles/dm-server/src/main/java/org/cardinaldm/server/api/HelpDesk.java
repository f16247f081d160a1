package org.cardinaldm.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.server.internal.HelpDeskReports;

/**
 * The help desk of RD use case 5.2.1: one request reads what the device reports, and
 * {@link #report(List)} makes it readable. Shared by the shell ({@code dms:helpdesk}) and the REST API.
 *
 * <p>A request with the default reads becomes two jobs: the standard reads ({@link #STANDARD_URIS},
 * every DM 1.2 device with a Cardinal card has them) described {@link #DESCRIPTION}, and the optional
 * reads ({@link #OPTIONAL_URIS}: card policy, SCOMO inventory, logs), described
 * {@link #optionalDescription(long)}. A device without one of the optional subtrees answers 404 to
 * that read only (each Get has its own Status), so the optional job ends {@link JobState#FAILED}
 * while the standard job still ends {@link JobState#SUCCEEDED}. URIs named by the operator make one job.
 * Every read is a {@code ?list=StructData} Get unless the URI already has a query.
 */
public final class HelpDesk {
    /** The description of a help-desk job (the standard reads, or the reads an operator named). */
    public static final String DESCRIPTION = "help desk";

    /** The subtrees every help-desk request reads. */
    public static final List<String> STANDARD_URIS = List.of("./DevInfo", "./DevDetail", "./DMAcc",
            "./SmartCard/Info");

    /** The subtrees a default request also reads, in a second job: a device may lack any of them. */
    public static final List<String> OPTIONAL_URIS = List.of("./SmartCard/Policy", "./SCOMO/Inventory",
            "./DiagMon");

    private static final String OPTIONAL_PREFIX = "help desk: optional reads of job ";
    /** How many of a device's newest jobs are searched for a request's jobs. */
    private static final int SCAN = 200;

    private HelpDesk() {
    }

    /** @return {@link #STANDARD_URIS} then {@link #OPTIONAL_URIS} */
    public static List<String> defaultUris() {
        List<String> all = new ArrayList<>(STANDARD_URIS);
        all.addAll(OPTIONAL_URIS);
        return List.copyOf(all);
    }

    /**
     * @param uri a subtree, or a URI with a query
     * @return a Get of {@code uri?list=StructData}, or of {@code uri} when it has a query
     */
    public static Operation read(String uri) {
        return Operation.get(uri.contains("?") ? uri : uri + "?list=StructData");
    }

    /**
     * @param standardJobId the job of the standard reads
     * @return the description of the job of its optional reads
     */
    public static String optionalDescription(long standardJobId) {
        return OPTIONAL_PREFIX + standardJobId;
    }

    /**
     * @param job a job
     * @return true when it is a help-desk job (standard or optional reads)
     */
    public static boolean isHelpDesk(Job job) {
        return DESCRIPTION.equals(job.description())
                || job.description() != null && job.description().startsWith(OPTIONAL_PREFIX);
    }

    /**
     * Queues a help-desk request.
     *
     * @param jobs the job manager
     * @param deviceId a registered DevId
     * @param uris the subtrees to read in one job, or null or empty for the default reads (two jobs:
     *        {@link #STANDARD_URIS}, then {@link #OPTIONAL_URIS})
     * @return the jobs queued, the standard one first
     * @throws IllegalArgumentException when the device is unknown
     */
    public static List<Job> submit(JobManager jobs, String deviceId, List<String> uris) {
        if (uris != null && !uris.isEmpty()) {
            return submit(jobs, deviceId, uris, List.of());
        }
        return submit(jobs, deviceId, STANDARD_URIS, OPTIONAL_URIS);
    }

    /**
     * Queues a help-desk request with the reads an operator configured.
     *
     * @param jobs the job manager
     * @param deviceId a registered DevId
     * @param standardUris the subtrees of the first job (described {@link #DESCRIPTION}), at least one
     * @param optionalUris the subtrees of the second job (described {@link #optionalDescription(long)}),
     *        possibly empty: then there is no second job
     * @return the jobs queued, the standard one first
     * @throws IllegalArgumentException when the device is unknown or {@code standardUris} is empty
     */
    public static List<Job> submit(JobManager jobs, String deviceId, List<String> standardUris,
            List<String> optionalUris) {
        Objects.requireNonNull(jobs, "jobs");
        if (standardUris == null || standardUris.isEmpty()) {
            throw new IllegalArgumentException("a help-desk request needs at least one subtree to read");
        }
        Job standard = jobs.submit(deviceId, DESCRIPTION, standardUris.stream().map(HelpDesk::read).toList());
        if (optionalUris == null || optionalUris.isEmpty()) {
            return List.of(standard);
        }
        Job optional = jobs.submit(deviceId, optionalDescription(standard.id()),
                optionalUris.stream().map(HelpDesk::read).toList());
        return List.of(standard, optional);
    }

    /**
     * The jobs of the help-desk request a job belongs to: the standard job and, when there is one,
     * the job of its optional reads.
     *
     * @param jobs the job manager
     * @param jobId any job of the request
     * @return the request's jobs, the standard one first; empty when the job is unknown or not a
     *         help-desk job
     */
    public static List<Job> request(JobManager jobs, long jobId) {
        Optional<Job> found = jobs.job(jobId);
        if (found.isEmpty() || !isHelpDesk(found.get())) {
            return List.of();
        }
        Job job = found.get();
        if (!DESCRIPTION.equals(job.description())) {
            long standardId;
            try {
                standardId = Long.parseLong(job.description().substring(OPTIONAL_PREFIX.length()).trim());
            } catch (NumberFormatException e) {
                return List.of(job);
            }
            return jobs.job(standardId).filter(s -> s.deviceId().equals(job.deviceId())).map(s -> List.of(s, job))
                    .orElse(List.of(job));
        }
        String companion = optionalDescription(job.id());
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

    /**
     * The device's latest help-desk request.
     *
     * @param jobs the job manager
     * @param deviceId a DevId
     * @return its jobs (see {@link #request(JobManager, long)}), or empty when none is among the device's
     *         200 newest jobs
     */
    public static List<Job> latest(JobManager jobs, String deviceId) {
        return jobs.jobs(deviceId, SCAN).stream().filter(j -> DESCRIPTION.equals(j.description())).findFirst()
                .map(j -> request(jobs, j.id())).orElse(List.of());
    }

    /**
     * Makes the report of a help-desk request.
     *
     * @param requestJobs the jobs of one request (see {@link #request(JobManager, long)}), at least one,
     *        all for the same device
     * @return the report; sections of subtrees the device does not have say so
     * @throws IllegalArgumentException when there is no job or they are for different devices
     */
    public static HelpDeskReport report(List<Job> requestJobs) {
        return HelpDeskReports.build(requestJobs);
    }
}

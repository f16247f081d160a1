package org.cardinaldm.server.api;

import java.util.ArrayList;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The help desk of RD use case 5.2.1: one request reads what the device reports, and
 * {@link #report(List)} makes it readable. A service of the DM server, used by the shell
 * ({@code dms:helpdesk}) and the REST API.
 *
 * <p>A request with the default reads becomes two jobs: the standard reads ({@link #STANDARD_URIS},
 * every DM 1.2 device with a Cardinal card has them) described {@link #DESCRIPTION}, and the optional
 * reads ({@link #OPTIONAL_URIS}: card policy, SCOMO inventory, logs, FUMO instances), described
 * {@link #optionalDescription(long)}. A device without one of the optional subtrees answers 404 to
 * that read only (each Get has its own Status), so the optional job ends {@link JobState#FAILED}
 * while the standard job still ends {@link JobState#SUCCEEDED}. URIs named by the operator make one job.
 * Every read is a {@code ?list=StructData} Get unless the URI already has a query.
 *
 * <p>The static methods are pure functions of their arguments; the instance methods queue and find
 * jobs through the server's {@link JobManager}.
 */
@ProviderType
public interface HelpDesk {
    /** The description of a help-desk job (the standard reads, or the reads an operator named). */
    String DESCRIPTION = "help desk";

    /** The start of the description of the job of a request's optional reads, followed by the standard job's id. */
    String OPTIONAL_DESCRIPTION_PREFIX = "help desk: optional reads of job ";

    /** The subtrees every help-desk request reads. */
    List<String> STANDARD_URIS = List.of("./DevInfo", "./DevDetail", "./DMAcc", "./SmartCard/Info");

    /**
     * The subtrees a default request also reads, in a second job: a device may lack any of them. {@code ./FUMO}
     * (since 3.1.0) feeds the report's {@link HelpDeskReport.Kind#FIRMWARE} section.
     */
    List<String> OPTIONAL_URIS = List.of("./SmartCard/Policy", "./SCOMO/Inventory", "./DiagMon", "./FUMO");

    /** @return {@link #STANDARD_URIS} then {@link #OPTIONAL_URIS} */
    static List<String> defaultUris() {
        List<String> all = new ArrayList<>(STANDARD_URIS);
        all.addAll(OPTIONAL_URIS);
        return List.copyOf(all);
    }

    /**
     * @param uri a subtree, or a URI with a query
     * @return a Get of {@code uri?list=StructData}, or of {@code uri} when it has a query
     */
    static Operation read(String uri) {
        return Operation.get(uri.contains("?") ? uri : uri + "?list=StructData");
    }

    /**
     * @param standardJobId the job of the standard reads
     * @return the description of the job of its optional reads
     */
    static String optionalDescription(long standardJobId) {
        return OPTIONAL_DESCRIPTION_PREFIX + standardJobId;
    }

    /**
     * @param job a job
     * @return true when it is a help-desk job (standard or optional reads)
     */
    static boolean isHelpDesk(Job job) {
        return DESCRIPTION.equals(job.description())
                || job.description() != null && job.description().startsWith(OPTIONAL_DESCRIPTION_PREFIX);
    }

    /**
     * Queues a help-desk request.
     *
     * @param deviceId a registered DevId
     * @param uris the subtrees to read in one job, or null or empty for the default reads (two jobs:
     *        {@link #STANDARD_URIS}, then {@link #OPTIONAL_URIS})
     * @return the jobs queued, the standard one first
     * @throws IllegalArgumentException when the device is unknown
     */
    List<Job> submit(String deviceId, List<String> uris);

    /**
     * Queues a help-desk request with the reads an operator configured.
     *
     * @param deviceId a registered DevId
     * @param standardUris the subtrees of the first job (described {@link #DESCRIPTION}), at least one
     * @param optionalUris the subtrees of the second job (described {@link #optionalDescription(long)}),
     *        possibly empty: then there is no second job
     * @return the jobs queued, the standard one first
     * @throws IllegalArgumentException when the device is unknown or {@code standardUris} is empty
     */
    List<Job> submit(String deviceId, List<String> standardUris, List<String> optionalUris);

    /**
     * The jobs of the help-desk request a job belongs to: the standard job and, when there is one,
     * the job of its optional reads.
     *
     * @param jobId any job of the request
     * @return the request's jobs, the standard one first; empty when the job is unknown or not a
     *         help-desk job
     */
    List<Job> request(long jobId);

    /**
     * The device's latest help-desk request.
     *
     * @param deviceId a DevId
     * @return its jobs (see {@link #request(long)}), or empty when none is among the device's
     *         200 newest jobs
     */
    List<Job> latest(String deviceId);

    /**
     * Makes the report of a help-desk request.
     *
     * @param requestJobs the jobs of one request (see {@link #request(long)}), at least one,
     *        all for the same device
     * @return the report; sections of subtrees the device does not have say so
     * @throws IllegalArgumentException when there is no job or they are for different devices
     */
    HelpDeskReport report(List<Job> requestJobs);

    /**
     * Queues "install and start an application after the user agrees": one job of the Sequence that
     * {@link InstallRequest#operation()} describes, described {@link InstallRequest#description()}.
     *
     * @param deviceId a registered DevId
     * @param request the application and the question
     * @return the pending job
     * @throws IllegalArgumentException when the device is unknown
     * @since 2.1.0
     */
    Job install(String deviceId, InstallRequest request);
}

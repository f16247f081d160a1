package org.cardinaldm.fumo.server.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.fumo.api.FumoState;
import org.cardinaldm.server.api.AsyncExec;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.api.UserAnswers;

/**
 * Reads a device's campaign state from its FUMO job: pending or claimed is {@code notified}; accepted (the Exec
 * answered 202) is {@code downloading} when the device reported State 30, else {@code updating}; the Generic
 * Alert 1226 that the DM server linked to the Exec (only the device's own alert with the Exec's Correlator counts)
 * gives {@code succeeded} or {@code failed <code>}; a refused command, a declined consent or an interrupted
 * session is {@code failed}. A job of another device is never read.
 */
final class JobTracker {
    private JobTracker() {
    }

    /**
     * @param row the device's row
     * @param job its job, or empty when the job is gone
     * @param stateUri the FUMO instance's State URI
     * @param now the time
     * @return the row as the job says it is now (the same row when nothing changed)
     */
    static CampaignDevice follow(CampaignDevice row, Optional<Job> job, String stateUri, Instant now) {
        if (job.isEmpty()) {
            return changed(row, DeviceUpdateState.FAILED, null, "job " + row.jobId() + " was removed", now);
        }
        Job j = job.get();
        if (!j.deviceId().equals(row.deviceId())) {
            return changed(row, DeviceUpdateState.FAILED, null, "job " + j.id() + " belongs to another device", now);
        }
        switch (j.state()) {
            case PENDING:
            case ACTIVE:
                return changed(row, DeviceUpdateState.NOTIFIED, null, null, now);
            case ACCEPTED:
                Integer fumoState = reportedState(j, stateUri);
                DeviceUpdateState s = fumoState != null && fumoState == FumoState.DOWNLOAD_PROGRESSING.code()
                        ? DeviceUpdateState.DOWNLOADING : DeviceUpdateState.UPDATING;
                return changed(row, s, null, fumoState == null ? null : "FUMO State " + fumoState, now);
            case SUCCEEDED: {
                AsyncExec exec = exec(j);
                Integer code = exec != null && exec.report() != null ? exec.report().code() : null;
                return changed(row, DeviceUpdateState.SUCCEEDED, code,
                        exec != null && exec.report() != null ? exec.report().summary() : "succeeded", now);
            }
            case FAILED:
                return failed(row, j, now);
            case INTERRUPTED:
                return changed(row, DeviceUpdateState.FAILED, null, "the session ended before the device answered "
                        + "every command (" + j.results().size() + " of " + j.flatOperations().size() + ")", now);
            case CANCELLED:
                return changed(row, DeviceUpdateState.CANCELLED, null, "job cancelled", now);
            default:
                return row;
        }
    }

    private static CampaignDevice failed(CampaignDevice row, Job j, Instant now) {
        AsyncExec exec = exec(j);
        if (exec != null && exec.state().isFinished()) {
            Integer code = exec.report() != null && exec.report().code() >= 0 ? exec.report().code() : null;
            if (exec.state() == AsyncExec.State.TIMED_OUT) {
                code = null;
            }
            return changed(row, DeviceUpdateState.FAILED, code, exec.outcome(), now);
        }
        Optional<String> user = UserAnswers.failure(j);
        if (user.isPresent()) {
            return changed(row, DeviceUpdateState.FAILED, null, user.get(), now);
        }
        List<Operation> flat = j.flatOperations();
        for (int i = 0; i < flat.size(); i++) {
            Optional<OperationResult> r = j.result(i);
            if (r.isPresent() && (r.get().status() < 200 || r.get().status() > 299)) {
                return changed(row, DeviceUpdateState.FAILED, r.get().status(), "status " + r.get().status() + " to "
                        + flat.get(i).kind() + " " + flat.get(i).target(), now);
            }
        }
        return changed(row, DeviceUpdateState.FAILED, null, "job failed", now);
    }

    /** @return the Exec's asynchronous part, or null */
    private static AsyncExec exec(Job j) {
        for (OperationResult r : j.results()) {
            if (r.async() != null && r.async().deviceId().equals(j.deviceId())) {
                return r.async();
            }
        }
        return null;
    }

    /** @return the State the device reported to the job's Get, or null */
    static Integer reportedState(Job j, String stateUri) {
        List<Operation> flat = j.flatOperations();
        for (int i = 0; i < flat.size(); i++) {
            Operation o = flat.get(i);
            if (o.kind() != OperationKind.GET || !stateUri.equals(o.target())) {
                continue;
            }
            Optional<OperationResult> r = j.result(i);
            if (r.isEmpty() || r.get().status() != 200) {
                return null;
            }
            for (ResultItem item : r.get().items()) {
                String v = item.value() == null || item.binary() ? "" : item.value().strip();
                if (!v.isEmpty() && v.length() <= 4 && v.chars().allMatch(Character::isDigit)) {
                    return Integer.parseInt(v);
                }
            }
        }
        return null;
    }

    private static CampaignDevice changed(CampaignDevice row, DeviceUpdateState state, Integer code, String detail,
            Instant now) {
        if (row.state() == state && java.util.Objects.equals(row.resultCode(), code)
                && java.util.Objects.equals(row.detail(), detail)) {
            return row;
        }
        return row.with(state, row.jobId(), code, detail, now);
    }
}

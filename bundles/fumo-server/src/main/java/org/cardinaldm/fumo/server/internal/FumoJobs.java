package org.cardinaldm.fumo.server.internal;

import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignPackage;
import org.cardinaldm.fumo.server.api.CampaignSpec;
import org.cardinaldm.server.api.Operation;

/**
 * The job a campaign sends each device (OMA FUMO 1.0): Replace {@code PkgName}, {@code PkgVersion} and
 * {@code DownloadAndUpdate/PkgURL} of {@code ./FUMO/<x>}, Exec {@code DownloadAndUpdate} (the device answers 202 and
 * reports the result later in a Generic Alert 1226 with the server's Correlator), then Get {@code State} so the
 * server sees whether the download is progressing (30). With consent, the whole is a Sequence after a
 * confirmation (1101): nothing runs unless the user says yes.
 */
final class FumoJobs {
    /** The start of every campaign job's description, followed by the campaign id. */
    static final String DESCRIPTION_PREFIX = "fumo campaign ";

    private FumoJobs() {
    }

    /**
     * @param campaignId a campaign
     * @return the description of its jobs
     */
    static String description(long campaignId) {
        return DESCRIPTION_PREFIX + campaignId;
    }

    /**
     * @param spec the campaign's spec
     * @return the FUMO instance's root, e.g. {@code ./FUMO/Gateway}
     */
    static String root(CampaignSpec spec) {
        return "./FUMO/" + spec.fumoInstance();
    }

    /**
     * @param spec the spec
     * @return the URI of the instance's {@code State}
     */
    static String stateUri(CampaignSpec spec) {
        return root(spec) + "/State";
    }

    /**
     * @param campaign the campaign
     * @param consentSeconds MAXDT of the consent question
     * @return the job's operations
     */
    static List<Operation> operations(Campaign campaign, int consentSeconds) {
        CampaignSpec spec = campaign.spec();
        CampaignPackage pkg = campaign.pkg();
        String root = root(spec);
        List<Operation> ops = new ArrayList<>();
        ops.add(Operation.replace(root + "/PkgName", pkg.name(), "chr"));
        ops.add(Operation.replace(root + "/PkgVersion", pkg.version(), "chr"));
        ops.add(Operation.replace(root + "/DownloadAndUpdate/PkgURL", pkg.url(), "chr"));
        ops.add(Operation.exec(root + "/DownloadAndUpdate", null, null));
        ops.add(Operation.get(stateUri(spec)));
        if (!spec.consent()) {
            return ops;
        }
        String question = spec.consentText() != null ? spec.consentText()
                : "Install firmware " + pkg.name() + " " + pkg.version() + "? The device may restart.";
        return List.of(Operation.afterConsent(question, consentSeconds, ops.toArray(new Operation[0])));
    }
}

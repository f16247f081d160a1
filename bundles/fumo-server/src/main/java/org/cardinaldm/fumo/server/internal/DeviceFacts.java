package org.cardinaldm.fumo.server.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.spi.CampaignStore;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.HelpDeskReport;
import org.cardinaldm.server.api.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the registry knows of a device's firmware and card: the firmware version ({@code ./DevDetail/FwV}) and the
 * card's anti-rollback counter ({@code ./SmartCard/Policy/FUMO/AntiRollbackCounter}). Sources, newest wins for
 * the version: the device's latest help-desk request, a campaign the device succeeded (its package's version;
 * the card raised its counter to the package's), and the values the device reported in its sessions. The counter
 * never goes down on a card, so the highest known value counts.
 */
final class DeviceFacts {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceFacts.class);
    static final String FWV = "./DevDetail/FwV";
    static final String COUNTER_SUFFIX = "/Policy/FUMO/AntiRollbackCounter";

    /** A device's known firmware version and counter, each possibly null. */
    record Facts(String firmwareVersion, Long cardCounter) {
    }

    private final HelpDesk helpDesk;
    private final CampaignStore store;
    private final LongFunction<Optional<Campaign>> campaigns;

    DeviceFacts(HelpDesk helpDesk, CampaignStore store, LongFunction<Optional<Campaign>> campaigns) {
        this.helpDesk = helpDesk;
        this.store = store;
        this.campaigns = campaigns;
    }

    Facts of(Device device) {
        String fwv = device.devInfo().get(FWV);
        Instant fwvTime = null;
        Long counter = null;
        try {
            List<Job> request = helpDesk.latest(device.deviceId());
            if (!request.isEmpty()) {
                HelpDeskReport report = helpDesk.report(request);
                Instant when = request.get(0).updated();
                String reported = entry(report, FWV, false);
                if (reported != null) {
                    fwv = reported;
                    fwvTime = when;
                }
                counter = number(entry(report, COUNTER_SUFFIX, true));
            }
        } catch (RuntimeException e) {
            LOG.debug("No help-desk facts for {}: {}", device.deviceId(), e.toString());
        }
        Optional<CampaignDevice> success = store.lastSuccess(device.deviceId());
        if (success.isPresent()) {
            Optional<Campaign> c = campaigns.apply(success.get().campaignId());
            if (c.isPresent()) {
                if (fwvTime == null || success.get().updated().isAfter(fwvTime)) {
                    fwv = c.get().pkg().version();
                }
                Long pc = c.get().pkg().securityCounter();
                if (pc != null && (counter == null || pc > counter)) {
                    counter = pc;
                }
            }
        }
        return new Facts(fwv, counter);
    }

    /**
     * Finds a reported value by its node in any section: the help desk shows the card's FUMO policy in the
     * Firmware section (server API 3.1.0) and did in the Card section before, and FwV in Device and Firmware.
     */
    static String entry(HelpDeskReport report, String uri, boolean suffix) {
        for (HelpDeskReport.Section section : report.sections()) {
            for (HelpDeskReport.Group g : section.groups()) {
                for (HelpDeskReport.Entry e : g.entries()) {
                    if (e.uri() != null && (suffix ? e.uri().endsWith(uri) : e.uri().equals(uri))) {
                        return e.value();
                    }
                }
            }
        }
        return null;
    }

    private static Long number(String v) {
        if (v == null) {
            return null;
        }
        String t = v.strip();
        if (t.isEmpty() || t.length() > 18 || !t.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(t);
    }
}

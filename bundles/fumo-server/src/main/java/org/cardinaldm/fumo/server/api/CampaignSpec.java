package org.cardinaldm.fumo.server.api;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an operator asks for when creating a campaign.
 *
 * @param name a name for operators, 1 to 128 characters
 * @param packageFile the file name of a FIRMWARE package in the server's {@code PackageCatalog}
 * @param filter the devices
 * @param waves the wave sizes in order; empty for one wave of every device (the rest after the last size is one more wave)
 * @param successThreshold the percentage (0 to 100) of a wave's devices that must have succeeded before the next
 *        wave starts (hawkBit's success condition); devices refused for rollback count as neither
 * @param errorThreshold the percentage (0 to 100) of a wave's devices (rollback refusals excluded) that may fail;
 *        above it the campaign
 *        pauses (hawkBit's error condition and action); 100 never pauses
 * @param window when devices may be started, or null for any time
 * @param fumoInstance the FUMO instance {@code x} of {@code ./FUMO/x}, letters, digits, {@code _} and {@code -}
 * @param consent whether each device asks its user first (Alert 1101 in a Sequence before the Execs)
 * @param consentText the question asked, at most 200 characters, or null for a default naming the package
 */
public record CampaignSpec(String name, String packageFile, DeviceFilter filter, List<WaveSize> waves,
        int successThreshold, int errorThreshold, MaintenanceWindow window, String fumoInstance, boolean consent,
        String consentText) {
    /** The FUMO instance of a campaign that names none. */
    public static final String DEFAULT_INSTANCE = "Gateway";
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Checks everything an operator can get wrong. */
    public CampaignSpec {
        if (name == null || name.isBlank() || name.length() > 128 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a campaign name is 1 to 128 printable characters");
        }
        if (packageFile == null || packageFile.isBlank() || packageFile.length() > 255) {
            throw new IllegalArgumentException("a campaign needs the file name of a published firmware package");
        }
        Objects.requireNonNull(filter, "filter");
        waves = waves == null ? List.of() : List.copyOf(waves);
        if (waves.size() > WaveSize.MAX_WAVES) {
            throw new IllegalArgumentException("at most " + WaveSize.MAX_WAVES + " waves");
        }
        if (successThreshold < 0 || successThreshold > 100 || errorThreshold < 0 || errorThreshold > 100) {
            throw new IllegalArgumentException("thresholds are percentages, 0 to 100");
        }
        fumoInstance = fumoInstance == null || fumoInstance.isEmpty() ? DEFAULT_INSTANCE : fumoInstance;
        if (!INSTANCE.matcher(fumoInstance).matches()) {
            throw new IllegalArgumentException("a FUMO instance name is 1 to 64 letters, digits, '_' or '-'");
        }
        if (consentText != null && (consentText.length() > 200 || consentText.isBlank())) {
            throw new IllegalArgumentException("the consent question is 1 to 200 characters");
        }
    }

    /**
     * @param name the name
     * @param packageFile the package
     * @param filter the devices
     * @return a spec with one wave, success threshold 100, error threshold 100, no window, instance
     *         {@link #DEFAULT_INSTANCE}, no consent
     */
    public static CampaignSpec simple(String name, String packageFile, DeviceFilter filter) {
        return new CampaignSpec(name, packageFile, filter, List.of(), 100, 100, null, null, false, null);
    }
}

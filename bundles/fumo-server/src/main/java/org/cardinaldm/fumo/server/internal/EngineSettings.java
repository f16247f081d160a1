package org.cardinaldm.fumo.server.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a campaign engine.
 *
 * @param node this server node's name, recorded as the owner of the devices it starts
 * @param packageBaseUrl the public base URL devices download packages from ({@code https://host:8443}); the
 *        catalogue's path and the file name are appended
 * @param startBatch the most devices one round starts per campaign
 * @param consentSeconds MAXDT of the consent question
 * @param staleClaim how long a device may stay {@code starting} before another round looks at it again (a node
 *        stopped between claiming it and recording its job)
 * @param maxDevices the most devices one campaign targets
 */
record EngineSettings(String node, String packageBaseUrl, int startBatch, int consentSeconds, Duration staleClaim,
        int maxDevices) {
    EngineSettings {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(packageBaseUrl, "packageBaseUrl");
        Objects.requireNonNull(staleClaim, "staleClaim");
        if (startBatch < 1 || consentSeconds < 1 || maxDevices < 1) {
            throw new IllegalArgumentException("start.batch, consent.max.display.seconds and max.devices must be positive");
        }
        while (packageBaseUrl.endsWith("/")) {
            packageBaseUrl = packageBaseUrl.substring(0, packageBaseUrl.length() - 1);
        }
    }
}

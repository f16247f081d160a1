package org.cardinaldm.pkg.trust.internal;

import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.pkg.trust.api.ApplicationSigners;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's application signers from {@code etc/org.cardinaldm.pkg.trust.cfg}. Without configuration the
 * list is empty (every application package is refused: fail closed). A value that is not a SHA-256 in hex is
 * dropped with a WARN; dropping a value can only narrow the trust, never widen it.
 */
@Component(service = ApplicationSigners.class, configurationPid = "org.cardinaldm.pkg.trust",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ConfiguredApplicationSigners.Config.class)
public final class ConfiguredApplicationSigners implements ApplicationSigners {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredApplicationSigners.class);

    /** Configuration of the application signers. */
    @ObjectClassDefinition(name = "Cardinal package trust: application signers",
            description = "Keys trusted to sign application packages (SCOMO). Firmware is gated by the card.")
    public @interface Config {
        /** @return SHA-256 of each signer's DER SubjectPublicKeyInfo, hex */
        @AttributeDefinition(name = "Trusted signers",
                description = "SHA-256 of each signer's SubjectPublicKeyInfo, 64 hex digits each")
        String[] trusted_signers() default {};
    }

    private volatile TrustedSigners signers;

    /** @param config the configuration */
    @Activate
    public ConfiguredApplicationSigners(Config config) {
        this.signers = read(config);
        LOG.info("Application signers: {} trusted key(s)", signers.sha256Hex().size());
    }

    @Modified
    void modified(Config config) {
        this.signers = read(config);
        LOG.info("Application signers changed: {} trusted key(s)", signers.sha256Hex().size());
    }

    private static TrustedSigners read(Config config) {
        List<String> good = new ArrayList<>();
        for (String raw : config.trusted_signers()) {
            // a single property value may hold a comma-separated list (a .cfg line)
            for (String value : raw.split(",")) {
                if (value.isBlank()) {
                    continue;
                }
                try {
                    good.add(TrustedSigners.normalize(value));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Ignoring trusted.signers value '{}': not a SHA-256 in hex (64 digits)", value.strip());
                }
            }
        }
        return TrustedSigners.ofHex(good);
    }

    @Override
    public TrustedSigners signers() {
        return signers;
    }
}

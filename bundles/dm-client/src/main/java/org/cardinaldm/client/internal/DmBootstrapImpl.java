package org.cardinaldm.client.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.cardinaldm.api.DmTree;
import org.cardinaldm.client.api.BootstrapPackage;
import org.cardinaldm.client.api.BootstrapResult;
import org.cardinaldm.client.api.DmBootstrap;
import org.cardinaldm.client.api.DmClient;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.client.internal.session.Bootstrapper;
import org.cardinaldm.client.internal.ui.UiAlerts;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DmBootstrap} service: applies bootstrap packages from card, file or push sources and
 * connects to the new servers when a package asks for it. Configuration PID {@value #PID}.
 */
@Component(service = DmBootstrap.class, configurationPid = DmBootstrapImpl.PID)
@Designate(ocd = DmBootstrapImpl.Config.class)
public final class DmBootstrapImpl extends ClientComponent implements DmBootstrap {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.client.bootstrap";

    private static final Logger LOG = LoggerFactory.getLogger(DmBootstrapImpl.class);

    /** Bootstrap settings. */
    @ObjectClassDefinition(name = "Cardinal DM bootstrap", description = "DM-profile bootstrap from cards, files and pushes")
    public @interface Config {
        /** @return the NETWORKID secret; the leading dot keeps it out of the service properties */
        @AttributeDefinition(name = "NETWORKID secret", type = AttributeType.PASSWORD, required = false,
                description = "Shared network secret for SEC=NETWORKID (e.g. the IMSI), key .network.id")
        String _network_id() default "";

        /** @return whether pushes need a MAC */
        @AttributeDefinition(name = "Pushed bootstraps need SEC/MAC")
        boolean push_mac_required() default true;

        /** @return how long to wait for the user */
        @AttributeDefinition(name = "Question timeout (s)", min = "1")
        int ui_timeout_s() default 120;
    }

    private final DmClient client;
    private final Bootstrapper bootstrapper;
    private final ExecutorService uiThread = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cardinal-dm-bootstrap-ui");
        t.setDaemon(true);
        return t;
    });
    private final Duration uiTimeout;

    /**
     * @param tree the DM tree
     * @param client the DM client, to connect to new servers
     * @param config the configuration
     */
    @Activate
    public DmBootstrapImpl(@Reference DmTree tree, @Reference DmClient client, Config config) {
        this.client = Objects.requireNonNull(client, "client");
        this.uiTimeout = Duration.ofSeconds(Math.max(1, config.ui_timeout_s()));
        String networkId = config._network_id();
        this.bootstrapper = new Bootstrapper(tree, this::serialization, this::tnds,
                new UiAlerts(() -> null, uiThread, uiTimeout), new UiAsker(), () -> networkId, config.push_mac_required());
    }

    @Deactivate
    void deactivate() {
        uiThread.shutdownNow();
    }

    @Override
    public BootstrapResult apply(BootstrapPackage bootstrap) {
        Objects.requireNonNull(bootstrap, "bootstrap");
        BootstrapResult r = bootstrapper.apply(bootstrap);
        if (r.outcome() == BootstrapResult.Outcome.APPLIED && bootstrap.connect()) {
            for (String serverId : r.serverIds()) {
                LOG.info("Connecting to {} after the bootstrap from {}", serverId, bootstrap.origin());
                client.startSession(SessionRequest.clientInitiated(serverId));
            }
        }
        return r;
    }

    @Override
    public int withdraw(String origin) {
        return bootstrapper.withdraw(Objects.requireNonNull(origin, "origin"));
    }

    @Override
    public Map<String, String> origins() {
        return bootstrapper.origins();
    }

    @Override
    public Optional<String> appliedFingerprint(String origin) {
        return bootstrapper.appliedFingerprint(Objects.requireNonNull(origin, "origin"));
    }

    private final class UiAsker implements Bootstrapper.Asker {
        private Optional<UserResponse> ask(UserPrompt prompt) {
            return uis.ask(prompt, uiThread, uiTimeout);
        }

        @Override
        public Optional<Boolean> confirm(String question) {
            return ask(UserPrompt.builder(UiAlertKind.CONFIRM, "bootstrap", question).maxDisplayTime(uiTimeout)
                    .defaultResponse("0").build()).map(r -> r.kind() == UserResponse.Kind.YES);
        }

        @Override
        public Optional<String> secret(String question) {
            return ask(UserPrompt.builder(UiAlertKind.TEXT_INPUT, "bootstrap", question).maxDisplayTime(uiTimeout)
                    .inputType(UserPrompt.InputType.NUMERIC).echo(UserPrompt.Echo.PASSWORD).build())
                    .filter(r -> r.kind() == UserResponse.Kind.TEXT).map(UserResponse::text);
        }
    }
}

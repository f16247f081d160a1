package org.cardinaldm.client.internal.ui;

import java.util.Locale;

import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers user-interaction alerts by configuration, for gateways without a person in front of them.
 * Active only when configured (PID {@value #PID}), with a low service ranking so that a real UI
 * wins. Each kind of prompt has a policy: {@code default} uses the server's DR where it fits and
 * otherwise falls back to the safe answer (reject a confirm, cancel an input or a choice);
 * {@code accept}/{@code reject}/{@code cancel} answer the same way every time.
 */
@Component(service = UserInteraction.class, configurationPid = PolicyUserInteraction.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = "service.ranking:Integer=-100")
@Designate(ocd = PolicyUserInteraction.Config.class)
public final class PolicyUserInteraction implements UserInteraction {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.client.ui.policy";

    private static final Logger LOG = LoggerFactory.getLogger(PolicyUserInteraction.class);

    /** The policies. */
    @ObjectClassDefinition(name = "Cardinal DM user-interaction policy",
            description = "Answers the server's UI alerts (1100-1104) without a person, for headless gateways")
    public @interface Config {
        /** @return the confirm policy */
        @AttributeDefinition(name = "Confirm (1101)", options = {@Option(value = "default", label = "DR, else reject"),
                @Option(value = "accept", label = "Accept"), @Option(value = "reject", label = "Reject"),
                @Option(value = "cancel", label = "Cancel")})
        String confirm() default "default";

        /** @return the text input policy */
        @AttributeDefinition(name = "Text input (1102)", options = {@Option(value = "default", label = "DR, else cancel"),
                @Option(value = "cancel", label = "Cancel")})
        String text_input() default "default";

        /** @return the choice policy */
        @AttributeDefinition(name = "Choices (1103, 1104)", options = {
                @Option(value = "default", label = "DR, else cancel"), @Option(value = "first", label = "First choice"),
                @Option(value = "cancel", label = "Cancel")})
        String choice() default "default";

        /** @return whether displays are acknowledged */
        @AttributeDefinition(name = "Acknowledge displays (1100)",
                description = "Answer 200 to display alerts (they are logged); off: 214 cancelled")
        boolean display() default true;
    }

    private volatile Config config;

    /** @param config the policies */
    @Activate
    public PolicyUserInteraction(Config config) {
        this.config = config;
    }

    @Modified
    void modified(Config newConfig) {
        this.config = newConfig;
    }

    @Override
    public UserResponse interact(UserPrompt prompt) {
        Config c = config;
        UserResponse r = decide(c, prompt);
        LOG.info("User-interaction alert {} from {} answered by policy: {}", prompt.kind(), prompt.serverId(), r);
        return r;
    }

    private static UserResponse decide(Config c, UserPrompt prompt) {
        switch (prompt.kind()) {
            case DISPLAY:
                return c.display() ? UserResponse.done() : UserResponse.cancelled();
            case CONFIRM:
                switch (c.confirm().trim().toLowerCase(Locale.ROOT)) {
                    case "accept":
                        return UserResponse.yes();
                    case "reject":
                        return UserResponse.no();
                    case "cancel":
                        return UserResponse.cancelled();
                    default:
                        return prompt.defaultConfirm().orElse(Boolean.FALSE) ? UserResponse.yes() : UserResponse.no();
                }
            case TEXT_INPUT:
                if ("default".equalsIgnoreCase(c.text_input().trim()) && prompt.defaultResponse().isPresent()) {
                    return UserResponse.text(prompt.defaultResponse().get());
                }
                return UserResponse.cancelled();
            case SINGLE_CHOICE:
            case MULTIPLE_CHOICE:
                String policy = c.choice().trim().toLowerCase(Locale.ROOT);
                if (policy.equals("first") && !prompt.choices().isEmpty()) {
                    return UserResponse.choice(1);
                }
                if (policy.equals("default")) {
                    var d = prompt.defaultChoices();
                    if (!d.isEmpty() && (prompt.kind() == UiAlertKind.MULTIPLE_CHOICE || d.size() == 1)) {
                        return UserResponse.choices(d);
                    }
                }
                return UserResponse.cancelled();
            default:
                return UserResponse.cancelled();
        }
    }
}

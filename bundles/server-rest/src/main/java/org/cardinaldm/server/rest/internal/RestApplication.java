package org.cardinaldm.server.rest.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.ws.rs.core.Application;

import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.api.SessionMonitor;
import org.cardinaldm.server.api.audit.AuditLog;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.fumo.server.api.CampaignService;
import org.cardinaldm.fumo.server.api.DeviceTags;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.annotations.RequireJaxrsWhiteboard;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator REST API as one JAX-RS application on the OSGi JAX-RS Whiteboard (R7 chapter 151),
 * at {@code osgi.jaxrs.application.base} (default {@code /cardinal/api/v1}) of the HTTP service:
 * the resources, the operators' authentication filter, the JSON provider and the error mappers. It
 * needs the DM server's services; without them the API is not there at all.
 */
@RequireJaxrsWhiteboard
@Component(service = Application.class, configurationPid = RestApplication.PID,
        property = {"osgi.jaxrs.application.base=" + RestApplication.DEFAULT_BASE, "osgi.jaxrs.name=cardinal-rest"})
@Designate(ocd = RestApplication.Config.class)
public final class RestApplication extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(RestApplication.class);

    /** The configuration PID. */
    static final String PID = "org.cardinaldm.server.rest";
    /** The default base path. */
    static final String DEFAULT_BASE = "/cardinal/api/v1";

    /** Configuration of the REST API. */
    @ObjectClassDefinition(name = "Cardinal DM server REST API", description = "Operator REST API (JSON) of the DM server")
    public @interface Config {
        /** @return the base path */
        @AttributeDefinition(description = "Base path of the API on the HTTP service")
        String osgi_jaxrs_application_base() default DEFAULT_BASE;

        /** @return the authentication mode */
        @AttributeDefinition(description = "How operators authenticate: jaas (HTTP Basic against the JAAS realm, "
                + "with a role), token (Authorization: Bearer with .token) or none (open: only behind another guard)")
        String auth() default "jaas";

        /** @return the JAAS realm */
        @AttributeDefinition(description = "JAAS realm checked in mode jaas (Karaf's users are in realm karaf)")
        String jaas_realm() default "karaf";

        /** @return the administrator roles */
        @AttributeDefinition(description = "Administrator roles: a user with one of them may do everything (mode jaas)")
        String[] roles() default {"admin"};

        /** @return the read-only roles */
        @AttributeDefinition(required = false, description = "Viewer roles: a user with one of them (and no "
                + "administrator role) may only read: GET, HEAD, OPTIONS; other methods are 403 (mode jaas). "
                + "Empty: no read-only access")
        String[] viewer_roles() default {"viewer"};

        /** @return the origins besides the API's own that may send writes */
        @AttributeDefinition(required = false, description = "Origins (scheme://host[:port]) besides the API's own "
                + "from which a browser may send POST, PUT, PATCH or DELETE; any other Origin or Referer is 403")
        String[] allowed_origins() default {};

        /** @return the free wrong passwords per user name and address */
        @AttributeDefinition(description = "Wrong passwords (or tokens) for one user name from one address before "
                + "the next attempt must wait (1 s, doubling)")
        int throttle_free_failures() default 5;

        /** @return the free wrong passwords per address */
        @AttributeDefinition(description = "Wrong passwords of any user names from one address (an IPv6 /64) "
                + "before the next attempt must wait (1 s, doubling)")
        int throttle_source_free_failures() default 20;

        /** @return the longest wait */
        @AttributeDefinition(description = "The longest wait after wrong passwords, in seconds")
        int throttle_max_lock_seconds() default 900;

        /** @return the most counters kept */
        @AttributeDefinition(description = "The most wrong-password counters kept per table (per user name and "
                + "address; per address); the least recently used are dropped")
        int throttle_max_entries() default 10000;

        /** @return the bearer token */
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Bearer token (mode token); "
                + "a private property, never a service property")
        String _token() default "";

        /** @return the help-desk subtrees */
        @AttributeDefinition(description = "Subtrees the help-desk job reads (as ?list=StructData)")
        String[] helpdesk_uris() default {"./DevInfo", "./DevDetail", "./DMAcc", "./SmartCard/Info"};

        /** @return the optional help-desk subtrees */
        @AttributeDefinition(required = false, description = "Subtrees a device may lack (card policy, SCOMO "
                + "inventory, logs, FUMO), read in a second job of the same request so that their 404 does not fail "
                + "the first")
        String[] helpdesk_optional_uris() default {"./SmartCard/Policy", "./SCOMO/Inventory", "./DiagMon", "./FUMO"};

        /** @return the idle time of a console login */
        @AttributeDefinition(description = "Minutes a web console login lives without a request (mode jaas)")
        int console_session_idle_minutes() default 30;

        /** @return the longest life of a console login */
        @AttributeDefinition(description = "Hours a web console login lives at most, used or not (mode jaas)")
        int console_session_max_hours() default 12;

        /** @return the most console logins kept */
        @AttributeDefinition(description = "The most web console logins kept; past it the least recently used ends")
        int console_sessions_max() default 1000;
    }

    private final Set<Object> singletons;

    /**
     * @param devices the registry
     * @param jobs the jobs
     * @param helpDesk the help desk
     * @param notifications the package-0 sender
     * @param sessions the sessions of this node
     * @param config the configuration
     * @param campaigns firmware campaigns, when fumo-server runs (optional; the API is rebuilt when it comes or goes)
     * @param tags device tags, with the campaigns
     * @param catalog the package catalogue, when server-packages runs
     */
    public RestApplication(DeviceManager devices, JobManager jobs, HelpDesk helpDesk,
            NotificationManager notifications, SessionMonitor sessions, Config config, CampaignService campaigns,
            DeviceTags tags, PackageCatalog catalog) {
        this(devices, jobs, helpDesk, notifications, sessions, config, campaigns, tags, catalog, null);
    }

    /**
     * @param devices the registry
     * @param jobs the jobs
     * @param helpDesk the help desk
     * @param notifications the package-0 sender
     * @param sessions the sessions of this node
     * @param config the configuration
     * @param campaigns firmware campaigns, when fumo-server runs (optional; the API is rebuilt when it comes or goes)
     * @param tags device tags, with the campaigns
     * @param catalog the package catalogue, when server-packages runs
     * @param audit the audit log every write is recorded in ({@code GET /audit} reads it); null for none
     */
    @Activate
    public RestApplication(@Reference DeviceManager devices, @Reference JobManager jobs, @Reference HelpDesk helpDesk,
            @Reference NotificationManager notifications, @Reference SessionMonitor sessions, Config config,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            CampaignService campaigns,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            DeviceTags tags,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            PackageCatalog catalog,
            @Reference AuditLog audit) {
        this(devices, jobs, helpDesk, notifications, sessions, config, new JaasAuthenticator(config.jaas_realm()),
                Clock.systemUTC(), campaigns == null || tags == null || catalog == null ? null
                        : new CampaignsResource(campaigns, tags, catalog), audit);
    }

    /**
     * @param devices the registry
     * @param jobs the jobs
     * @param helpDesk the help desk
     * @param notifications the package-0 sender
     * @param sessions the sessions of this node
     * @param config the configuration
     * @param authenticator the password check (mode jaas)
     * @param clock the time of answers and of the wrong-password throttle
     */
    RestApplication(DeviceManager devices, JobManager jobs, HelpDesk helpDesk, NotificationManager notifications,
            SessionMonitor sessions, Config config, Authenticator authenticator, Clock clock) {
        this(devices, jobs, helpDesk, notifications, sessions, config, authenticator, clock, null);
    }

    /**
     * @param devices the registry
     * @param jobs the jobs
     * @param helpDesk the help desk
     * @param notifications the package-0 sender
     * @param sessions the sessions of this node
     * @param config the configuration
     * @param authenticator the password check (mode jaas)
     * @param clock the time of answers and of the wrong-password throttle
     * @param campaigns the firmware campaign and package resource, or null when fumo-server or server-packages is
     *        not running (then /campaigns, /device-tags and /firmware are not there)
     */
    RestApplication(DeviceManager devices, JobManager jobs, HelpDesk helpDesk, NotificationManager notifications,
            SessionMonitor sessions, Config config, Authenticator authenticator, Clock clock,
            CampaignsResource campaigns) {
        this(devices, jobs, helpDesk, notifications, sessions, config, authenticator, clock, campaigns, null);
    }

    /**
     * @param devices the registry
     * @param jobs the jobs
     * @param helpDesk the help desk
     * @param notifications the package-0 sender
     * @param sessions the sessions of this node
     * @param config the configuration
     * @param authenticator the password check (mode jaas)
     * @param clock the time of answers and of the wrong-password throttle
     * @param campaigns the firmware campaign and package resource, or null
     * @param audit the audit log, or null (then writes are not recorded and /audit is not there)
     */
    RestApplication(DeviceManager devices, JobManager jobs, HelpDesk helpDesk, NotificationManager notifications,
            SessionMonitor sessions, Config config, Authenticator authenticator, Clock clock,
            CampaignsResource campaigns, AuditLog audit) {
        AuthFilter.Mode mode = AuthFilter.Mode.parse(config.auth()).orElseThrow(() -> new IllegalArgumentException(
                "auth must be jaas, token or none in " + PID + ", not " + config.auth()));
        Set<String> roles = new LinkedHashSet<>(list(config.roles()));
        switch (mode) {
            case NONE:
                LOG.warn("The REST API at {} is open to anyone who reaches the HTTP port (auth=none in {})",
                        config.osgi_jaxrs_application_base(), PID);
                break;
            case TOKEN:
                if (config._token().isEmpty()) {
                    LOG.warn("auth=token without .token in {}: every REST request is refused", PID);
                }
                break;
            default:
                if (roles.isEmpty()) {
                    throw new IllegalArgumentException("roles must name at least one role in " + PID);
                }
        }
        Set<String> viewers = new LinkedHashSet<>(list(config.viewer_roles()));
        LoginThrottle throttle = new LoginThrottle(clock, config.throttle_free_failures(),
                config.throttle_source_free_failures(), Duration.ofSeconds(config.throttle_max_lock_seconds()),
                config.throttle_max_entries());
        ConsoleSessions consoleSessions = mode == AuthFilter.Mode.JAAS ? new ConsoleSessions(clock,
                Duration.ofMinutes(config.console_session_idle_minutes()),
                Duration.ofHours(config.console_session_max_hours()), config.console_sessions_max()) : null;
        Set<Object> all = new java.util.HashSet<>(List.of(
                new AuthFilter(mode, authenticator, roles, viewers, config._token(),
                        new CrossSiteCheck(list(config.allowed_origins())), throttle, null, consoleSessions),
                new ConsoleResource(devices, consoleSessions, clock),
                new JsonProvider(),
                new ErrorMappers.WebErrors(), new ErrorMappers.StoreErrors(), new ErrorMappers.Unexpected(),
                new DevicesResource(devices, jobs, helpDesk, notifications, clock, List.of(config.helpdesk_uris()),
                        config.helpdesk_optional_uris() == null ? List.of() : List.of(config.helpdesk_optional_uris())),
                new JobsResource(jobs),
                new SessionsResource(sessions), new NodesResource(sessions)));
        if (campaigns != null) {
            all.add(campaigns);
        }
        if (audit != null) {
            all.add(new AuditFilter(audit));
            all.add(new AuditResource(audit));
        }
        this.singletons = Set.copyOf(all);
        LOG.info("Cardinal REST API at {} (auth {}; administrators {}, viewers {})",
                config.osgi_jaxrs_application_base(), mode.name().toLowerCase(java.util.Locale.ROOT), roles, viewers);
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of()
                : Arrays.stream(values).filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
    }

    @Override
    public Set<Object> getSingletons() {
        return singletons;
    }
}

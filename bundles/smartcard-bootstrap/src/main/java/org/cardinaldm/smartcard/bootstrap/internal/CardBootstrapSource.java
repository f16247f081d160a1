package org.cardinaldm.smartcard.bootstrap.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.cardinaldm.client.api.BootstrapPackage;
import org.cardinaldm.client.api.BootstrapResult;
import org.cardinaldm.client.api.DmBootstrap;
import org.cardinaldm.client.api.SessionListener;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.api.spi.CredentialProvider;
import org.cardinaldm.client.api.spi.CredentialSource;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.dm.api.DmCardListener;
import org.cardinaldm.smartcard.dm.api.DmCards;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smart-card bootstrap source (OMA-RD-DM_SmartCard 5.1.1, 6.1.4): the bridge between the DM cards of
 * {@code smartcard-dm} and the device agent's {@link DmBootstrap}.
 *
 * <ul>
 * <li>A DM card inserted, or present at power-on: its bootstrap document (or, for a key-only card, a minimal
 * account made from its credentials, see {@link CardPlan}) is applied with origin {@code card:<card id>},
 * asking the user first when the card policy says so and connecting to the new servers when it says so.
 * A document that would create an account for a server the card policy does not allow is refused as a whole,
 * before the user is asked (and checked again on the accounts actually created).</li>
 * <li>The card re-configured (its bootstrap, policy or credentials changed): applied again, which replaces the
 * origin's accounts. A change of another card file (the MO store) changes nothing.</li>
 * <li>The card removed or replaced: the accounts of {@code card:<old id>} are withdrawn; at power-on, accounts
 * of cards that are no longer present are withdrawn after a grace period.</li>
 * <li>Card-held credentials: a {@link CredentialProvider} ({@code dm.credential.source=card}) and a
 * {@link SessionListener} that ends the card's DM security state when a session with a card account ends.</li>
 * </ul>
 *
 * <p>Its listener, provider and session listener are registered by the component itself at the end of
 * activation, not declared as DS services: the services it needs ({@code DmCards}, {@code DmBootstrap} and
 * through it {@code DmClient}) track exactly those whiteboard services, and declaring them would make SCR walk
 * a circular reference whenever they activate together. Events are handled one at a time on the thread
 * {@code dm-smartcard-bootstrap-N}, since a confirmation may wait for the user. Configuration PID
 * {@value #PID}.
 */
@Component(service = {}, configurationPid = CardBootstrapSource.PID, immediate = true)
@Designate(ocd = CardBootstrapSource.Config.class)
public final class CardBootstrapSource implements DmCardListener, SessionListener {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.smartcard.bootstrap";
    /** The prefix of the origin of card-originated accounts. */
    public static final String ORIGIN_PREFIX = "card:";

    private static final Logger LOG = LoggerFactory.getLogger(CardBootstrapSource.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Configuration of the smart-card bootstrap source. */
    @ObjectClassDefinition(name = "Cardinal smart-card bootstrap",
            description = "Applies the DM bootstrap of smart cards and serves card-held credentials")
    public @interface Config {
        /** @return the default server address of a key-only card */
        @AttributeDefinition(name = "Key-only card: server address", required = false,
                description = "DM server URL for the account of a card that holds credentials but no bootstrap "
                        + "document (the profile carries no address); empty: no account for such cards")
        String key_only_address() default "http://127.0.0.1:8181/dm";

        /** @return per-server addresses */
        @AttributeDefinition(name = "Key-only card: addresses by server", required = false,
                description = "Entries <ServerID>=<URL>; they take precedence over the default address")
        String[] key_only_addresses() default {};

        /** @return the power-on grace period */
        @AttributeDefinition(name = "Power-on grace (s)", min = "0",
                description = "After activation, accounts of cards that are not present by then are withdrawn")
        int stale_grace_s() default 30;

        /** @return the re-check interval */
        @AttributeDefinition(name = "Re-check interval (s)", min = "0",
                description = "How often present cards are re-checked for a new configuration (one APDU each); 0: never "
                        + "(cards are also re-checked after each DM session with a card account)")
        int recheck_interval_s() default 300;

        /** @return failed package-0 checks a card absorbs in a row */
        @AttributeDefinition(name = "Notification checks per card", min = "0",
                description = "Failed package-0 digest checks in a row the card's server key may absorb before "
                        + "notifications are refused without asking the card (protects the key from being blocked)")
        int notification_card_attempts() default 4;
    }

    /** What became of a card's DM data, for logs and tests. */
    enum Outcome {
        /** Applied (accounts written). */
        APPLIED,
        /** Already applied earlier: the same content is in the tree. */
        UNCHANGED,
        /** The user refused (or could not be asked). */
        REFUSED_BY_USER,
        /** An account's server is not allowed by the card policy. */
        REFUSED_BY_POLICY,
        /** The card carries nothing to apply. */
        NOTHING_TO_APPLY,
        /** The document is invalid or the tree refused it. */
        FAILED,
        /** The card went away: its accounts were withdrawn. */
        WITHDRAWN
    }

    private final DmCards cards;
    private final DmBootstrap bootstrap;
    private final CardCredentialProvider provider;
    private final Map<String, String> addresses;
    private final ScheduledExecutorService executor;
    /** reader → card id, as told by the events. */
    private final Map<String, String> present = new ConcurrentHashMap<>();
    /** card id → fingerprint not applied in this insertion (refused or failed): not tried again. */
    private final Map<String, String> notApplied = new ConcurrentHashMap<>();
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    /**
     * @param cards the DM cards
     * @param bootstrap the device agent's bootstrap entry point
     * @param config the configuration
     * @param context the bundle context, to register the listener, the provider and the session listener
     */
    @Activate
    public CardBootstrapSource(@Reference DmCards cards, @Reference DmBootstrap bootstrap, Config config,
            BundleContext context) {
        this(cards, bootstrap, config);
        Dictionary<String, Object> props = new Hashtable<>();
        // the provider's own @CredentialSource: registered by hand (see above), so read here, not by SCR
        props.put(CredentialProvider.SOURCE_PROPERTY,
                CardCredentialProvider.class.getAnnotation(CredentialSource.class).value());
        registrations.add(context.registerService(CredentialProvider.class, provider, props));
        registrations.add(context.registerService(SessionListener.class, this, null));
        registrations.add(context.registerService(DmCardListener.class, this, null));
        start(config);
    }

    /** @return {@code <karaf.data>/cardinal/card-notification-budgets.txt}, or null (memory only) outside Karaf */
    private static java.nio.file.Path budgetFile() {
        String data = System.getProperty("karaf.data");
        return data == null ? null : java.nio.file.Path.of(data, "cardinal", "card-notification-budgets.txt");
    }

    /**
     * For tests and plain Java: the caller delivers DM card events to {@link #dmCardChanged}, session ends to
     * {@link #sessionEnded}, hands {@link #credentialProvider()} to the client, and calls {@link #start}.
     *
     * @param cards the DM cards
     * @param bootstrap the bootstrap entry point
     * @param config the configuration
     */
    public CardBootstrapSource(DmCards cards, DmBootstrap bootstrap, Config config) {
        this.cards = Objects.requireNonNull(cards, "cards");
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.provider = new CardCredentialProvider(cards, bootstrap, config.notification_card_attempts(),
                budgetFile());
        this.addresses = addresses(config);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dm-smartcard-bootstrap-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Schedules the power-on clean-up and the periodic re-check.
     *
     * @param config the configuration
     */
    public void start(Config config) {
        int grace = Math.max(0, config.stale_grace_s());
        schedule(this::withdrawAbsentCards, grace);
        int interval = config.recheck_interval_s();
        if (interval > 0) {
            try {
                executor.scheduleWithFixedDelay(this::recheckAll, interval, interval, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("Stopped; no re-checks");
            }
        }
        LOG.info("Smart-card bootstrap source started (key-only address {}, re-check {} s)",
                addresses.getOrDefault("*", "none"), Math.max(0, interval));
    }

    /** Unregisters the services and stops the thread. */
    @Deactivate
    public void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                LOG.debug("Service already unregistered");
            }
        }
        registrations.clear();
        executor.shutdownNow();
    }

    private static Map<String, String> addresses(Config config) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : config.key_only_addresses() == null ? new String[0] : config.key_only_addresses()) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                LOG.warn("Ignoring key.only.addresses entry without <ServerID>=<URL>: {}", entry);
                continue;
            }
            out.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        String dflt = config.key_only_address() == null ? "" : config.key_only_address().trim();
        if (!dflt.isEmpty()) {
            out.put("*", dflt);
        }
        return out;
    }

    /** @return the credential provider (registered with {@code dm.credential.source=card}) */
    public CredentialProvider credentialProvider() {
        return provider;
    }

    /**
     * @param origin an origin, or null
     * @return the card id of a {@code card:} origin, else null
     */
    static String cardId(String origin) {
        return origin != null && origin.startsWith(ORIGIN_PREFIX) && origin.length() > ORIGIN_PREFIX.length()
                ? origin.substring(ORIGIN_PREFIX.length()) : null;
    }

    // ------------------------------------------------------------------------------ events

    @Override
    public void dmCardChanged(DmCardEvent event) {
        submit(() -> handle(event));
    }

    private void handle(DmCardEvent event) {
        switch (event.type()) {
            case INSERTED: {
                String before = present.put(event.reader(), event.cardId());
                if (before != null && !before.equals(event.cardId())) {
                    withdraw(before, "replaced by card " + event.cardId());
                }
                notApplied.remove(event.cardId());
                event.card().ifPresent(this::evaluate);
                break;
            }
            case CHANGED:
                present.put(event.reader(), event.cardId());
                event.card().ifPresent(this::evaluate);
                break;
            case REMOVED:
                present.remove(event.reader(), event.cardId());
                withdraw(event.cardId(), "removed from " + event.reader());
                break;
            default:
                break;
        }
    }

    private void withdraw(String cardId, String why) {
        notApplied.remove(cardId);
        provider.forget(cardId);
        int n = bootstrap.withdraw(ORIGIN_PREFIX + cardId);
        outcomes.put(cardId, Outcome.WITHDRAWN);
        LOG.info("Smart card {} {}: {} account(s) withdrawn", cardId, why, n);
    }

    /** Applies what a present card asks for, unless the same content is applied already. */
    private void evaluate(DmCard card) {
        String cardId = card.cardId();
        String origin = ORIGIN_PREFIX + cardId;
        CardPolicy policy = card.policy();
        Optional<CardPlan> maybe = CardPlan.of(card, addresses);
        if (maybe.isEmpty()) {
            List<String> why = CardPlan.skippedFor(card, addresses);
            if (!bootstrap.origins().containsValue(origin)) {
                record(card, Outcome.NOTHING_TO_APPLY, why.isEmpty() ? "no bootstrap document and no client credential"
                        : String.join("; ", why));
            } else {
                bootstrap.withdraw(origin);
                record(card, Outcome.NOTHING_TO_APPLY, "the card no longer carries DM data; its accounts were withdrawn");
            }
            return;
        }
        CardPlan plan = maybe.get();
        if (bootstrap.appliedFingerprint(origin).filter(plan.fingerprint()::equals).isPresent()) {
            record(card, Outcome.UNCHANGED, "already applied");
            return;
        }
        if (plan.fingerprint().equals(notApplied.get(cardId))) {
            LOG.debug("Smart card {}: content already refused or failed in this insertion", cardId);
            return;
        }
        List<String> disallowed = plan.serverIds().stream().filter(s -> !policy.allows(s)).toList();
        if (!disallowed.isEmpty() || !policy.allowedServers().isEmpty() && !plan.serverIdsComplete()) {
            notApplied.put(cardId, plan.fingerprint());
            int removed = bootstrap.withdraw(origin);
            record(card, Outcome.REFUSED_BY_POLICY, (disallowed.isEmpty()
                    ? "the bootstrap cannot be checked against the allowed servers " + policy.allowedServers()
                    : "server(s) " + disallowed + " not among the allowed servers " + policy.allowedServers())
                    + (removed > 0 ? "; " + removed + " earlier account(s) withdrawn" : ""));
            return;
        }
        BootstrapPackage pkg = BootstrapPackage.builder(origin, plan.document(), plan.mediaType())
                .confirm(policy.userConfirmation(), question(card, plan))
                .connect(policy.autonomousConnection()).fingerprint(plan.fingerprint()).build();
        BootstrapResult r = bootstrap.apply(pkg);
        switch (r.outcome()) {
            case APPLIED: {
                List<String> created = r.serverIds().stream().filter(s -> !policy.allows(s)).toList();
                if (!created.isEmpty()) {
                    notApplied.put(cardId, plan.fingerprint());
                    bootstrap.withdraw(origin);
                    record(card, Outcome.REFUSED_BY_POLICY, "created account(s) for " + created
                            + " not among the allowed servers; withdrawn");
                    return;
                }
                record(card, Outcome.APPLIED, (plan.kind() == CardPlan.Kind.KEY_ONLY ? "key-only card, " : "")
                        + "accounts for " + r.serverIds() + (policy.userConfirmation() ? ", confirmed by the user" : "")
                        + (policy.autonomousConnection() ? ", connecting" : "")
                        + (plan.skipped().isEmpty() ? "" : "; skipped " + plan.skipped()));
                break;
            }
            case REFUSED_BY_USER: {
                notApplied.put(cardId, plan.fingerprint());
                // the card's data changed and the user refused it: what the tree holds no longer matches the card
                int removed = bootstrap.withdraw(origin);
                record(card, Outcome.REFUSED_BY_USER, r.detail()
                        + (removed > 0 ? "; " + removed + " earlier account(s) withdrawn" : ""));
                break;
            }
            default:
                notApplied.put(cardId, plan.fingerprint());
                record(card, Outcome.FAILED, r.outcome() + ": " + r.detail());
                break;
        }
    }

    private static String question(DmCard card, CardPlan plan) {
        String servers = String.join(", ", plan.serverIds());
        if (plan.kind() == CardPlan.Kind.KEY_ONLY) {
            return "The smart card " + card.cardId() + " in reader '" + card.reader()
                    + "' holds credentials for the device management server " + servers
                    + ". Create an account for it so that the server can configure this device?";
        }
        return "The smart card " + card.cardId() + " in reader '" + card.reader()
                + "' carries device management settings" + (servers.isEmpty() ? "" : " for " + servers)
                + ". Apply them to this device?";
    }

    private void record(DmCard card, Outcome outcome, String detail) {
        outcomes.put(card.cardId(), outcome);
        if (outcome == Outcome.FAILED || outcome == Outcome.REFUSED_BY_POLICY) {
            LOG.warn("Smart card {} in {}: {} ({})", card.cardId(), card.reader(), outcome, detail);
        } else if (outcome == Outcome.UNCHANGED) {
            LOG.debug("Smart card {} in {}: {} ({})", card.cardId(), card.reader(), outcome, detail);
        } else {
            LOG.info("Smart card {} in {}: {} ({})", card.cardId(), card.reader(), outcome, detail);
        }
    }

    /** Power-on: withdraws the accounts of cards that are not present. */
    private void withdrawAbsentCards() {
        Set<String> here = new HashSet<>(present.values());
        for (DmCard c : cards.cards()) {
            here.add(c.cardId());
        }
        Set<String> stale = new HashSet<>();
        for (String origin : bootstrap.origins().values()) {
            String id = cardId(origin);
            if (id != null && !here.contains(id)) {
                stale.add(id);
            }
        }
        for (String id : stale) {
            withdraw(id, "not present at power-on");
        }
    }

    private void recheckAll() {
        for (String reader : new ArrayList<>(present.keySet())) {
            recheck(reader);
        }
    }

    private void recheck(String reader) {
        try {
            cards.refresh(reader); // a changed card comes back as a CHANGED event
        } catch (RuntimeException e) {
            LOG.warn("Re-check of the card in {} failed", reader, e);
        }
    }

    // ------------------------------------------------------------------------------ sessions

    /**
     * Ends the card's DM security state after a session with a card account, then re-checks the card (the
     * server may have re-configured it, RD 6.1.4 alternative flow b).
     */
    @Override
    public void sessionEnded(SessionResult result) {
        Optional<DmCard> card = provider.cardOf(result.serverId());
        if (card.isEmpty()) {
            return;
        }
        try {
            card.get().endDmSession();
        } catch (SmartCardException e) {
            LOG.debug("END DM SESSION on card {} failed: {}", card.get().cardId(), e.code());
        }
        String reader = card.get().reader();
        submit(() -> recheck(reader));
    }

    // ------------------------------------------------------------------------------ helpers

    private void submit(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Smart-card bootstrap source stopped; dropped a task");
        }
    }

    private void schedule(Runnable task, int seconds) {
        try {
            executor.schedule(task, seconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Smart-card bootstrap source stopped; dropped a task");
        }
    }

    /**
     * Waits until every event handed over so far is handled (tests, tools).
     *
     * @param seconds at most this long
     * @return whether it is idle
     */
    boolean awaitIdle(long seconds) {
        try {
            executor.submit(() -> { }).get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * @param cardId a card id
     * @return what last became of that card's DM data
     */
    Optional<Outcome> outcome(String cardId) {
        return Optional.ofNullable(outcomes.get(cardId));
    }
}

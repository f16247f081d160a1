package org.cardinaldm.smartcard.bootstrap.internal;

import java.nio.file.Path;
import java.util.Optional;

import org.cardinaldm.client.api.DmBootstrap;
import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.CredentialProvider;
import org.cardinaldm.client.api.spi.CredentialSource;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCards;

/**
 * The {@link CredentialProvider} of card-held credentials ({@code @CredentialSource("card")}, i.e. the service
 * property {@code dm.credential.source=card}, which {@link CardBootstrapSource} registers it with). It claims
 * exactly the accounts whose origin ({@link DmBootstrap#origins()}) is {@code card:<card id>} of a DM card now
 * present, and for whose ServerID that card holds a client or a server credential. Everything else is left to
 * the next provider or to the secrets of {@code ./DMAcc}.
 */
@CredentialSource(CardCredentialProvider.SOURCE)
final class CardCredentialProvider implements CredentialProvider {
    /** The name of this source, as declared by its {@link CredentialSource}. */
    static final String SOURCE = "card";

    private final DmCards cards;
    private final DmBootstrap bootstrap;
    private final NotificationBudgets budgets;

    /**
     * A provider whose notification budgets live in memory only.
     *
     * @param cards the DM cards
     * @param bootstrap the bootstrap service, for the accounts' origins
     * @param notificationAttempts failed package-0 checks a card absorbs in a row
     */
    CardCredentialProvider(DmCards cards, DmBootstrap bootstrap, int notificationAttempts) {
        this(cards, bootstrap, notificationAttempts, null);
    }

    /**
     * @param cards the DM cards
     * @param bootstrap the bootstrap service, for the accounts' origins
     * @param notificationAttempts failed package-0 checks a card absorbs in a row
     * @param budgetFile where the cards' notification budgets are kept across restarts, or null
     */
    CardCredentialProvider(DmCards cards, DmBootstrap bootstrap, int notificationAttempts, Path budgetFile) {
        this.cards = cards;
        this.bootstrap = bootstrap;
        this.budgets = new NotificationBudgets(budgetFile, notificationAttempts);
    }

    @Override
    public Optional<AccountCredentials> credentials(DmAccount account) {
        Optional<DmCard> card = cardOf(account.serverId());
        if (card.isEmpty()) {
            return Optional.empty();
        }
        CardCredential client = credential(card.get(), account.serverId(), CardCredential.Level.CLIENT);
        CardCredential server = credential(card.get(), account.serverId(), CardCredential.Level.SERVER);
        if (client == null && server == null) {
            return Optional.empty();
        }
        NotificationBudget budget = budgets.of(card.get().cardId());
        return Optional.of(new CardAccountCredentials(card.get(), account, client, server, budget));
    }

    /**
     * @param serverId a ServerID
     * @return the present card the account of that server came from, if it came from one
     */
    Optional<DmCard> cardOf(String serverId) {
        String origin = bootstrap.origins().get(serverId);
        String cardId = CardBootstrapSource.cardId(origin);
        if (cardId == null) {
            return Optional.empty();
        }
        return cards.cards().stream().filter(c -> c.cardId().equals(cardId)).findFirst();
    }

    /**
     * The card went away. Its notification budget is kept (bounded, in the file): the card's key keeps its try
     * counter too, so pulling and re-inserting a card must not refill the budget.
     *
     * @param cardId the card
     */
    void forget(String cardId) {
        // nothing to drop: see above
    }

    private static CardCredential credential(DmCard card, String serverId, CardCredential.Level level) {
        return card.credentials().stream().filter(c -> c.serverId().equals(serverId) && c.level() == level).findFirst()
                .orElse(null);
    }

    @Override
    public String toString() {
        return "CardCredentialProvider[" + SOURCE + "]";
    }
}

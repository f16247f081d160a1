package org.cardinaldm.smartcard.sim.internal.card;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandException;

/**
 * A {@link CommandFamily.Card} without a {@link Uicc}: the test profile's image, a security status, and a log
 * of commits and observed writes, so a family's commands run alone.
 */
final class FamilyCard implements CommandFamily.Card {
    CardImage image = CardTester.testImage(CardImage.Protocol.T1);
    final SecurityState security;
    final List<String> events = new ArrayList<>();
    final Map<Integer, CommandFamily.Command> commands = new LinkedHashMap<>();
    final LogicalChannel channel = new LogicalChannel(image.mf());
    /** Runs at every commit, after it is logged. */
    Runnable onCommit = () -> { };

    FamilyCard() {
        this(new SecurityState());
    }

    FamilyCard(SecurityState security) {
        this.security = security;
    }

    /** Registers a family's commands here. */
    FamilyCard with(CommandFamily family) {
        family.registerWith((ins, command) -> commands.put(ins, command));
        return this;
    }

    /** Runs one command of a registered family on the channel; a status word thrown becomes the response. */
    ResponseApdu send(String apdu) {
        CommandApdu c = CommandApdu.parse(CardTester.hex(apdu));
        try {
            return commands.get(c.ins()).process(c, channel);
        } catch (CommandException e) {
            return ResponseApdu.of(e.sw());
        }
    }

    int sw(String apdu) {
        return send(apdu).sw();
    }

    @Override
    public CardImage image() {
        return image;
    }

    @Override
    public SecurityState security() {
        return security;
    }

    @Override
    public void commit() {
        events.add("commit");
        onCommit.run();
    }

    @Override
    public void written(LogicalChannel ch, ElementaryFile file) {
        events.add(String.format("written %04X", file.fid()));
    }
}

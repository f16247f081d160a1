import javax.smartcardio.Card;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.TerminalFactory;

/**
 * Another PC/SC application, run as its own process by the integration test: connects to the reader named
 * in args[0] and disconnects with SCARD_RESET_CARD. Prints "connecting", "connected",
 * then "reset" or the failure.
 */
public class ResetCard {
    public static void main(String[] args) throws Exception {
        CardTerminal terminal = TerminalFactory.getInstance("PC/SC", null).terminals().getTerminal(args[0]);
        try {
            System.out.println("connecting");
            System.out.flush();
            Card card = terminal.connect("*");
            System.out.println("connected");
            System.out.flush();
            card.disconnect(true);
            System.out.println("reset");
        } catch (Exception e) {
            System.out.println("failed: " + e + " / " + e.getCause());
        }
    }
}

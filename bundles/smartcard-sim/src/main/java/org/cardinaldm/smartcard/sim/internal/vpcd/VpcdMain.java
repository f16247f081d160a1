package org.cardinaldm.smartcard.sim.internal.vpcd;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;

import org.cardinaldm.smartcard.sim.internal.SimCardHandle;

/**
 * Runs a simulated card on vpcd from the command line, outside OSGi:
 * <pre>
 * java -cp smartcard-sim.jar:smartcard-api.jar:slf4j-api.jar \
 *   org.cardinaldm.smartcard.sim.internal.vpcd.VpcdMain --image card.img [--profile card.profile]
 *   [--personalize if-absent|always] [--host 127.0.0.1] [--port 35963]
 * </pre>
 * Without {@code --image} the card is volatile; without {@code --profile} it uses the built-in demo profile.
 * Stops on SIGINT/SIGTERM.
 */
public final class VpcdMain {
    private VpcdMain() {
    }

    /**
     * @param args see the class description
     * @throws Exception if the card cannot start
     */
    public static void main(String[] args) throws Exception {
        Path image = null;
        Path profile = null;
        String host = "127.0.0.1";
        int port = 35963;
        SimCardHandle.Personalize mode = SimCardHandle.Personalize.IF_ABSENT;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--image": image = Paths.get(value); break;
                case "--profile": profile = Paths.get(value); break;
                case "--host": host = value; break;
                case "--port": port = Integer.parseInt(value); break;
                case "--personalize": mode = SimCardHandle.Personalize.parse(value); break;
                default: usage("unknown option " + arg);
            }
        }
        SimCardHandle card = SimCardHandle.open(image, profile, mode);
        VpcdConnector connector = new VpcdConnector(host, port, card, true);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connector.close();
            try {
                card.close();
            } catch (java.io.IOException e) {
                // exiting
            }
            stop.countDown();
        }, "dm-card-vpcd-shutdown"));
        System.out.println("Simulated card on vpcd " + host + ":" + port + (image == null ? " (volatile)" : " image " + image));
        stop.await();
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: VpcdMain [--image FILE] [--profile FILE] [--personalize if-absent|always]"
                + " [--host HOST] [--port PORT]");
        System.exit(2);
    }
}

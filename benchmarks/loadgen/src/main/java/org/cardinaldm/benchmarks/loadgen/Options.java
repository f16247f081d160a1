package org.cardinaldm.benchmarks.loadgen;

import java.util.List;

import org.cardinaldm.fumo.server.api.WaveSize;

/** The load generator's command-line options ({@code --help}). */
final class Options {
    int devices = 100;
    int concurrency = 64;
    int sessionsPerDevice = 1;
    String store = "h2";
    String encoding = "xml";
    int echoSeconds = 8;
    int hold = -1;
    int warmup = -1;
    boolean cardRead = true;
    String mode = "dm";
    int packageKib = 1024;
    int resumeEvery = 10;
    int maxDownloads = 64;
    boolean campaign;
    int roundSeconds = 5;
    int startBatch = 500;
    String waves = "1%,10%";
    int success = 90;
    int error = 10;
    int campaignTimeout = 3600;
    /** Seconds of each measured round; 0: N x S sessions instead. */
    int duration;
    int rounds = 1;
    /** Appended to the H2 URL, e.g. {@code ;CACHE_SIZE=65536}. */
    String h2Options = "";
    /** The PostgreSQL server of {@code --store postgres}, or null ({@link RegistryDatabase}). */
    String pgUrl;
    /** Seconds between two samples of the soak mode. */
    int sampleSeconds = 30;
    /** Soak: the server's job retention, in seconds (0: off, as before it existed), run every 10 s. */
    int jobRetentionSeconds;
    /** The registry's connections (the server's pool.max.connections, 10 by default). */
    int pool = 10;

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                usage();
                System.exit(0);
            }
            if (a.equals("--campaign")) {
                o.campaign = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--devices" -> o.devices = Integer.parseInt(v);
                case "--concurrency" -> o.concurrency = Integer.parseInt(v);
                case "--sessions-per-device" -> o.sessionsPerDevice = Integer.parseInt(v);
                case "--store" -> o.store = v;
                case "--encoding" -> o.encoding = v;
                case "--echo-seconds" -> o.echoSeconds = Integer.parseInt(v);
                case "--hold" -> o.hold = Integer.parseInt(v);
                case "--warmup" -> o.warmup = Integer.parseInt(v);
                case "--card-read" -> o.cardRead = Boolean.parseBoolean(v);
                case "--mode" -> o.mode = v;
                case "--package-kib" -> o.packageKib = Integer.parseInt(v);
                case "--resume-every" -> o.resumeEvery = Integer.parseInt(v);
                case "--max-downloads" -> o.maxDownloads = Integer.parseInt(v);
                case "--round-seconds" -> o.roundSeconds = Integer.parseInt(v);
                case "--start-batch" -> o.startBatch = Integer.parseInt(v);
                case "--waves" -> o.waves = v;
                case "--success" -> o.success = Integer.parseInt(v);
                case "--error" -> o.error = Integer.parseInt(v);
                case "--campaign-timeout" -> o.campaignTimeout = Integer.parseInt(v);
                case "--duration" -> o.duration = Integer.parseInt(v);
                case "--rounds" -> o.rounds = Integer.parseInt(v);
                case "--h2-options" -> o.h2Options = v;
                case "--pg-url" -> o.pgUrl = v;
                case "--sample-seconds" -> o.sampleSeconds = Integer.parseInt(v);
                case "--job-retention-seconds" -> o.jobRetentionSeconds = Integer.parseInt(v);
                case "--pool" -> o.pool = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
        }
        if (o.devices < 1 || o.concurrency < 1 || o.sessionsPerDevice < 1 || o.rounds < 1) {
            throw new IllegalArgumentException("--devices, --concurrency, --sessions-per-device and --rounds must be positive");
        }
        if (o.duration < 0) {
            throw new IllegalArgumentException("--duration is seconds, 0 (off) or more");
        }
        if (!List.of("h2", "h2mem", "postgres", "memory").contains(o.store)) {
            throw new IllegalArgumentException("--store is h2 (file), h2mem, postgres or memory");
        }
        if (!List.of("xml", "wbxml").contains(o.encoding)) {
            throw new IllegalArgumentException("--encoding is xml or wbxml");
        }
        if (!List.of("dm", "fumo", "soak").contains(o.mode)) {
            throw new IllegalArgumentException("--mode is dm (management sessions), fumo (a firmware campaign) "
                    + "or soak (management sessions for --duration seconds, sampled)");
        }
        if (o.pool < 1) {
            throw new IllegalArgumentException("--pool must be positive");
        }
        if (o.jobRetentionSeconds < 0) {
            throw new IllegalArgumentException("--job-retention-seconds must be 0 (off) or positive");
        }
        if (o.sampleSeconds < 1) {
            throw new IllegalArgumentException("--sample-seconds must be positive");
        }
        if (o.packageKib < 1 || o.resumeEvery < 0 || o.maxDownloads < 1) {
            throw new IllegalArgumentException("--package-kib and --max-downloads must be positive, --resume-every >= 0");
        }
        if (o.campaign && !o.mode.equals("fumo")) {
            throw new IllegalArgumentException("--campaign belongs to --mode fumo");
        }
        if (o.roundSeconds < 1 || o.startBatch < 1 || o.campaignTimeout < 1) {
            throw new IllegalArgumentException("--round-seconds, --start-batch and --campaign-timeout must be positive");
        }
        if (o.success < 0 || o.success > 100 || o.error < 0 || o.error > 100) {
            throw new IllegalArgumentException("--success and --error are percentages, 0 to 100");
        }
        WaveSize.parseList(o.waves); // throws IllegalArgumentException with the reason
        if (o.hold < 0) {
            o.hold = o.mode.equals("dm") ? o.devices : 0;
        }
        if (o.warmup < 0) {
            o.warmup = 2000;
        }
        return o;
    }

    static void usage() {
        System.out.println("""
                java -jar loadgen.jar [options]
                  --devices N              simulated devices (100)
                  --concurrency C          sessions in flight at once, also the echo clients (64)
                  --sessions-per-device S  measured sessions of each device (1); ignored with --duration
                  --duration D             each measured round runs sessions (devices in turn) for D seconds instead
                                           of N x S sessions; the standard run uses 60 (0: off, the default)
                  --h2-options S           appended to the H2 URL, e.g. ';CACHE_SIZE=65536' ('')
                  --rounds R               measured rounds, each followed by an echo baseline; the report gives each
                                           round's ratio to the mean of the echo runs around it, and the median (1)
                  --store h2|h2mem|postgres|memory
                                           registry: embedded H2 file in a temp dir (h2), H2 in memory, a database of
                                           its own on PostgreSQL, or the engine's in-memory store
                  --pg-url URL             postgres: the server (a user that may create databases or schemas); default
                                           CARDINAL_TEST_PG_URL, else this machine's CI server on 127.0.0.1:55432 if it
                                           answers, else the test kit's embedded PostgreSQL
                  --pool C                 h2, h2mem, postgres: the registry's connections, as the server's
                                           pool.max.connections (10)
                  --encoding xml|wbxml     message encoding (xml)
                  --echo-seconds T         length of each echo baseline run (8)
                  --hold H                 sessions opened and held at once to measure heap per session (N; 0: skip)
                  --warmup W               warm-up sessions over the devices in turn, not measured (2000)
                  --card-read true|false   the server reads ./SmartCard/Info/CardId first, as in the distribution (true)
                  --mode dm|fumo|soak      dm: management sessions (default); fumo: one firmware campaign over every device
                                           (Replace PkgURL + Exec DownloadAndUpdate, 202, download, Generic Alert 1226);
                                           soak: management sessions for --duration seconds (600), sampled every
                                           --sample-seconds (30): heap after GC, open sessions, file descriptors
                  --job-retention-seconds S soak: the server's job retention (job.retention.days) with S seconds,
                                           run every 10 s (0: off, the default)
                  --package-kib K          fumo: the firmware package's size in KiB (1024)
                  --resume-every R         fumo: every R-th device cuts its download at half and resumes it (10; 0: none)
                  --max-downloads M        fumo: the package servlet's download slots, all sources (64)
                  --campaign               fumo: run the campaign through fumo-server's campaign engine (JDBC campaign
                                           store on the same H2, signed package in the catalogue, package 0 simulated)
                                           instead of queuing the jobs here
                  --waves LIST             campaign: wave sizes, counts or percentages; the rest is one more wave (1%,10%)
                  --success P, --error P   campaign: success threshold to start the next wave, error threshold that
                                           pauses (90, 10)
                  --round-seconds S        campaign: period of the engine's rounds, round.seconds (5)
                  --start-batch B          campaign: most devices started per round, start.batch (500)
                  --campaign-timeout T     campaign: seconds before the run gives up waiting for the end (3600)""");
    }
}

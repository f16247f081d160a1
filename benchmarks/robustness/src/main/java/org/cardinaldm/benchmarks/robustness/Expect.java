package org.cardinaldm.benchmarks.robustness;

import java.util.Set;

/**
 * Every expected value of every probe, in one place, named after the probe. Adjust a status code here
 * (and only here) when the required behaviour is settled differently. "HTTP" sets are HTTP status
 * codes; "HDR" sets are SyncML SyncHdr status codes (the Status with CmdRef 0) in an HTTP 200 answer.
 * Where the required behaviour allows several answers, the set holds all of them.
 */
final class Expect {
    private Expect() {
    }

    // ---- budgets ------------------------------------------------------------------------------------
    /** No probe may take longer (it is then FAIL "timed out"). */
    static final int PROBE_TIMEOUT_SECONDS = 30;
    /** Connect/read timeout of one ordinary HTTP exchange. */
    static final int HTTP_TIMEOUT_MILLIS = 10_000;

    // ---- group 1: codec and transport -----------------------------------------------------------
    /** codec.malformed-xml: 400, or a SyncML answer whose SyncHdr status is an error. */
    static final Set<Integer> MALFORMED_XML_HTTP = Set.of(400);
    static final Set<Integer> MALFORMED_XML_HDR = Set.of(400, 500);
    /** codec.xxe: refused (400) or answered; never the content of /etc/passwd. */
    static final Set<Integer> XXE_HTTP = Set.of(400, 200);
    static final String XXE_MARKER = "root:x:0:0";
    /** codec.billion-laughs: refused, quickly. */
    static final Set<Integer> BILLION_LAUGHS_HTTP = Set.of(400, 413);
    static final Set<Integer> BILLION_LAUGHS_HDR = Set.of(400, 413, 500);
    static final long BILLION_LAUGHS_MAX_MILLIS = 3_000;
    /** codec.deep-nesting: 20 000 nested elements refused, quickly. */
    static final int DEEP_NESTING_LEVELS = 20_000;
    static final Set<Integer> DEEP_NESTING_HTTP = Set.of(400, 413);
    static final Set<Integer> DEEP_NESTING_HDR = Set.of(400, 413, 500);
    static final long DEEP_NESTING_MAX_MILLIS = 3_000;
    /** codec.oversized-body: a body over the server's max.message.bytes (256 KiB by default). */
    static final int OVERSIZED_BODY_BYTES = 2 << 20;
    static final Set<Integer> OVERSIZED_HTTP = Set.of(413);
    static final Set<Integer> OVERSIZED_HDR = Set.of(413);
    /** codec.wrong-content-type. */
    static final Set<Integer> WRONG_CONTENT_TYPE_HTTP = Set.of(415);
    /** codec.garbage-wbxml. */
    static final Set<Integer> GARBAGE_WBXML_HTTP = Set.of(400);
    static final Set<Integer> GARBAGE_WBXML_HDR = Set.of(400, 500);
    /** codec.unknown-token: a RespURI token the server never issued ("404-ish"). */
    static final Set<Integer> UNKNOWN_TOKEN_HTTP = Set.of(404, 410, 401, 403);
    static final Set<Integer> UNKNOWN_TOKEN_HDR = Set.of(404, 410, 401, 403);
    /** codec.token-randomness: distinct tokens whose random part (after an optional node id and dot) has at least this many bits, base64url alphabet. */
    static final int TOKEN_MIN_BITS = 96;
    static final String TOKEN_ALPHABET = "[A-Za-z0-9_-]+";
    /** codec.replayed-pkg1: the bytes of an accepted package 1, sent again after its session ended. */
    static final Set<Integer> REPLAY_HTTP = Set.of(200, 401, 403, 404);
    static final Set<Integer> REPLAY_HDR = Set.of(401, 403, 404, 407);

    // ---- group 2: session fixation and hijack -----------------------------------------------------
    /** session.token-rotated: the authenticated session's token differs from the stranger's T0. */
    /** session.stale-token-refused: T0, posted by the stranger after the device authenticated in S. */
    static final Set<Integer> STALE_TOKEN_HTTP = Set.of(404, 410, 401, 403);
    static final Set<Integer> STALE_TOKEN_HDR = Set.of(404, 410, 401, 403, 407);
    /** session.pkg1-keeps-session: the device's next message on its own token after the stranger's package 1. */
    static final Set<Integer> CONTINUE_HTTP = Set.of(200);
    static final Set<Integer> CONTINUE_HDR = Set.of(200, 212);
    /** session.no-token-leak: no answer to an unauthenticated message names a token of an authenticated session. */

    // ---- group 3: lock-out ------------------------------------------------------------------------
    /** lockout.*: how many wrong package 1s the stranger sends. */
    static final int LOCKOUT_STRANGER_FAILURES = 6;
    /** lockout.genuine-after-stranger-failures: the genuine device ends authenticated. */
    static final Set<Integer> GENUINE_AUTH_HDR = Set.of(212, 200);
    /** ... and never sees one of these on the way. */
    static final Set<Integer> GENUINE_NEVER_HDR = Set.of(417, 503, 403);
    /** lockout.nonce-unchanged: its first package 1 (digest on the nonce it was last given) is accepted. */
    static final Set<Integer> FIRST_TRY_HDR = Set.of(212, 200);
    /** lockout.unknown-devid-indistinguishable: same statuses and nonce behaviour for both DevIds. */

    // ---- group 4: anonymous cost --------------------------------------------------------------------
    /** cost.huge-devid: DevId and Target LocURI of this many characters each. */
    static final int HUGE_LOCURI_CHARS = 120_000;
    static final Set<Integer> HUGE_DEVID_HTTP = Set.of(400, 413, 414);
    static final Set<Integer> HUGE_DEVID_HDR = Set.of(400, 413, 414);
    /** cost.anonymous-sessions-bounded: at most this many anonymous package 1s before a clear refusal. */
    static final int ANONYMOUS_SESSIONS_MAX = 1_000;
    /** How many more the probe sends, to see the refusal come by ANONYMOUS_SESSIONS_MAX + 8 (its senders in flight). */
    static final int ANONYMOUS_SESSIONS_MARGIN = 50;
    /**
     * A refusal too: the server's answer past its anonymous budget (dm-server's strangers' budget, docs/server.md) is
     * the challenge without a RespURI, so nothing of the sender is kept.
     */
    static final Set<Integer> ANONYMOUS_UNTRACKED_HDR = Set.of(401, 407);
    static final Set<Integer> ANONYMOUS_REFUSAL_HTTP = Set.of(429, 503);
    static final Set<Integer> ANONYMOUS_REFUSAL_HDR = Set.of(429, 503, 417, 420);
    /** cost.slow-bodies: connections trickling their bodies at 1 byte/s, and the normal request's deadline. */
    static final int SLOW_CONNECTIONS = 300;
    static final long SLOW_NORMAL_MAX_MILLIS = 5_000;

    // ---- group 5: package 0 -------------------------------------------------------------------------
    /** push.*: the device must open a session (last contact changes) within this time. */
    static final long PUSH_SESSION_MAX_MILLIS = 18_000;
    static final int PUSH_FLOOD_DATAGRAMS = 200;

    // ---- group 6: REST ------------------------------------------------------------------------------
    static final Set<Integer> REST_NO_CREDENTIALS_HTTP = Set.of(401);
    static final int REST_WRONG_PASSWORDS = 10;
    static final Set<Integer> REST_THROTTLED_HTTP = Set.of(429);
    static final Set<Integer> REST_OK_HTTP = Set.of(200);
    static final String FOREIGN_ORIGIN = "http://attacker.example";
    static final Set<Integer> REST_FOREIGN_ORIGIN_HTTP = Set.of(403);
    static final Set<Integer> REST_NON_JSON_HTTP = Set.of(415, 403);
    static final Set<Integer> REST_VIEWER_WRITE_HTTP = Set.of(403);
    /** After a refused write, the device it would have registered does not exist. */
    static final Set<Integer> REST_NOT_CREATED_HTTP = Set.of(404);
    /** rest.no-secrets: JSON field names that must never carry a value, and literal secrets. */
    static final String SECRET_FIELD_PATTERN = "(?i)\"[^\"]*(password|secret|nonce|digest|token)[^\"]*\"\\s*:\\s*(\"[^\"]+\"|[0-9tf])";

    // ---- group 7: HTTPS -----------------------------------------------------------------------------
    static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    static final long PLAIN_ON_TLS_MAX_MILLIS = 5_000;

    // ---- group 8: secrets at rest -------------------------------------------------------------------
    /** atrest.users-properties-hashed: Karaf JAAS encryption's default prefix (etc/org.apache.karaf.jaas.cfg encryption.prefix). */
    static final String HASH_PREFIX = "{CRYPT}";

    // ---- the published demo values (docs/operator-guide.md, etc/org.cardinaldm.server.device-demo.cfg) ----
    static final String DEMO_DEVID = "urn:x-cardinaldm:demo-gateway";
    static final String DEMO_CLIENT_USER = "cardinal-device";
    static final String DEMO_CLIENT_PASSWORD = "cardinal-device-demo-secret";
    static final String DEMO_SERVER_ID = "cardinal-dms";
    static final String DEMO_SERVER_PASSWORD = "cardinal-dms-demo-secret";
}

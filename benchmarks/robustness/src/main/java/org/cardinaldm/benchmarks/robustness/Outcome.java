package org.cardinaldm.benchmarks.robustness;

/** The verdict of one probe, printed as {@code PASS|FAIL|SKIP <id> expected: <...> observed: <...>}. */
record Outcome(Verdict verdict, String id, String expected, String observed) {
    enum Verdict { PASS, FAIL, SKIP }

    static Outcome of(boolean pass, String id, String expected, String observed) {
        return new Outcome(pass ? Verdict.PASS : Verdict.FAIL, id, expected, observed);
    }

    static Outcome skip(String id, String expected, String reason) {
        return new Outcome(Verdict.SKIP, id, expected, reason);
    }

    /** @return the one line of this probe (line breaks in texts replaced by spaces) */
    String line() {
        return verdict + " " + id + " expected: " + flat(expected) + " observed: " + flat(observed);
    }

    private static String flat(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n\\t]+", " ");
    }
}

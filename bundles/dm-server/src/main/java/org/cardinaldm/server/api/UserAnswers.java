package org.cardinaldm.server.api;

import java.util.List;
import java.util.Optional;

import org.cardinaldm.syncml.api.model.UiAlertKind;

/**
 * What the user answered to the user-interaction alerts of a job, and why such a job failed. The rules the
 * server judges jobs by (OMA DM 1.2 Protocol, user interaction commands; digest section 1.9):
 * <ul>
 * <li>only a 200 is an answer: yes to a confirmation, the text of a text input, the chosen numbers of a
 * choice (recorded as the choices' texts);</li>
 * <li>304 on a confirmation: the user refused; 214: the user cancelled (the device stops the message and
 * answers 215 to what it skipped); 408: no answer within MAXDT; no status, or any other status: the alert
 * failed. Any of these fails the job, whatever the Sequence's own status (200 once it started);</li>
 * <li>215: the command was not executed.</li>
 * </ul>
 *
 * @since 2.1.0
 */
public final class UserAnswers {
    /** The status of an operation that got none. */
    public static final int NO_STATUS = -1;

    private UserAnswers() {
    }

    /**
     * @param alert the alert
     * @param status its Status, or {@link #NO_STATUS}
     * @return why the user's answer (or its absence) stops the job, or empty when it is an answer (200)
     */
    public static Optional<String> refusal(UserAlert alert, int status) {
        boolean confirm = alert.kind() == UiAlertKind.CONFIRM;
        return switch (status) {
            case 200 -> Optional.empty();
            case 304 -> Optional.of(confirm ? "the user refused" : "the alert was answered 304");
            case 214 -> Optional.of("the user cancelled");
            case 408 -> Optional.of("no answer within MAXDT");
            case 406 -> Optional.of("the device cannot show user alerts (406)");
            case NO_STATUS -> Optional.of(confirm ? "no status for the confirmation" : "no status for the alert");
            default -> Optional.of((confirm ? "the confirmation" : "the alert") + " was answered " + status);
        };
    }

    /**
     * @param alert the alert
     * @param result the device's answer, or null when none came
     * @return the answer for people: {@code yes}, {@code shown}, the text in quotes, the chosen choices in
     *         quotes, or the refusal
     */
    public static String describe(UserAlert alert, OperationResult result) {
        int status = result == null ? NO_STATUS : result.status();
        Optional<String> refusal = refusal(alert, status);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        List<String> values = result.items().stream().map(ResultItem::value).toList();
        return switch (alert.kind()) {
            case DISPLAY -> "shown";
            case CONFIRM -> "yes";
            case TEXT_INPUT -> values.isEmpty() ? "no text" : quote(values.get(0));
            case SINGLE_CHOICE, MULTIPLE_CHOICE -> values.isEmpty() ? "nothing chosen"
                    : String.join(", ", values.stream().map(UserAnswers::quote).toList());
        };
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /**
     * @param job a job
     * @return why its user interaction stopped it: the first alert (depth first) not answered 200, with its
     *         position and text, e.g. {@code the user refused (operation 1: "Install X?")}; empty when every
     *         alert got an answer or the job has none
     */
    public static Optional<String> failure(Job job) {
        List<Operation> flat = job.flatOperations();
        for (int i = 0; i < flat.size(); i++) {
            Optional<UserAlert> a = flat.get(i).userAlert();
            if (a.isEmpty()) {
                continue;
            }
            Optional<OperationResult> r = job.result(i);
            if (r.isEmpty() && job.state() != JobState.FAILED) {
                continue;
            }
            Optional<String> why = refusal(a.get(), r.map(OperationResult::status).orElse(NO_STATUS));
            if (why.isPresent()) {
                return Optional.of(why.get() + " (operation " + i + ": " + quote(shortText(a.get().text())) + ")");
            }
        }
        return Optional.empty();
    }

    private static String shortText(String s) {
        String one = s.replace('\n', ' ');
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }
}

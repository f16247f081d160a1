package org.cardinaldm.server.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.syncml.api.model.UiAlertKind;

/**
 * One management command of a job. URIs are sent as given ({@code ./SmartCard/MO/...} is an URI like
 * any other). Build operations with the static factories.
 *
 * <p>Since 2.1.0 a job can also ask the user: an {@link OperationKind#ALERT} carries a {@link UserAlert}
 * (1100 to 1104, {@link #userAlert()}), and an {@link OperationKind#SEQUENCE} runs its children in order,
 * the device skipping the rest (215) once the user refuses or cancels; {@link #afterConsent} builds the
 * usual "ask, and only if the user agrees do this" job. Allowed children: an Atomic takes Add, Replace,
 * Delete, Copy and Alert; a Sequence takes those, Get, Exec and Atomic (OMA DM 1.2 Representation, Atomic and
 * Sequence). Neither nests itself or the other way round beyond that.
 *
 * @param kind the command
 * @param target the target URI (for Atomic, Sequence and Alert: null)
 * @param source the source URI (Copy), or null
 * @param data the value (Add, Replace, Exec argument), or null; binary values are base64 text with
 *        format {@code b64}; for an Alert the alert in the form of {@link UserAlert#encoded()}
 * @param format the Meta Format ({@code chr}, {@code int}, {@code bool}, {@code b64}, {@code node} ...), or null
 * @param type the Meta Type (a MIME type), or null
 * @param correlator the Exec Correlator, or null
 * @param children the operations of an Atomic or a Sequence, otherwise empty
 */
public record Operation(OperationKind kind, String target, String source, String data, String format, String type,
        String correlator, List<Operation> children) {

    /** Checks that each kind has what it needs. */
    public Operation {
        Objects.requireNonNull(kind, "kind");
        children = children == null ? List.of() : List.copyOf(children);
        if (kind == OperationKind.ATOMIC || kind == OperationKind.SEQUENCE) {
            String name = kind == OperationKind.ATOMIC ? "an Atomic" : "a Sequence";
            if (children.isEmpty()) {
                throw new IllegalArgumentException(name + " needs at least one operation");
            }
            for (Operation c : children) {
                boolean allowed = kind == OperationKind.ATOMIC
                        ? c.kind != OperationKind.GET && c.kind != OperationKind.ATOMIC
                                && c.kind != OperationKind.EXEC && c.kind != OperationKind.SEQUENCE
                        : c.kind != OperationKind.SEQUENCE;
                if (!allowed) {
                    throw new IllegalArgumentException(c.kind + " is not allowed inside " + name);
                }
            }
        } else if (kind == OperationKind.ALERT) {
            UserAlert.parse(data);
            if (!children.isEmpty()) {
                throw new IllegalArgumentException("only an Atomic or a Sequence has nested operations");
            }
        } else {
            if (target == null || target.isBlank()) {
                throw new IllegalArgumentException(kind + " needs a target URI");
            }
            if (!children.isEmpty()) {
                throw new IllegalArgumentException("only an Atomic or a Sequence has nested operations");
            }
        }
        if (kind == OperationKind.COPY && (source == null || source.isBlank())) {
            throw new IllegalArgumentException("Copy needs a source URI");
        }
    }

    /**
     * @param uri the node, property ({@code ?prop=ACL}) or view ({@code ?list=Struct})
     * @return a Get
     */
    public static Operation get(String uri) {
        return new Operation(OperationKind.GET, uri, null, null, null, null, null, List.of());
    }

    /**
     * @param uri the new leaf
     * @param value its value
     * @param format its format, e.g. {@code chr}
     * @return an Add of a leaf
     */
    public static Operation add(String uri, String value, String format) {
        return new Operation(OperationKind.ADD, uri, null, value, format, "text/plain", null, List.of());
    }

    /**
     * @param uri the new interior node
     * @return an Add with format {@code node}
     */
    public static Operation addInterior(String uri) {
        return new Operation(OperationKind.ADD, uri, null, null, "node", null, null, List.of());
    }

    /**
     * @param uri the node or property
     * @param value the new value
     * @param format its format, e.g. {@code chr}
     * @return a Replace
     */
    public static Operation replace(String uri, String value, String format) {
        return new Operation(OperationKind.REPLACE, uri, null, value, format, "text/plain", null, List.of());
    }

    /**
     * @param uri the node
     * @return a Delete
     */
    public static Operation delete(String uri) {
        return new Operation(OperationKind.DELETE, uri, null, null, null, null, null, List.of());
    }

    /**
     * @param uri the executable node
     * @param argument the argument, or null
     * @param correlator the Correlator, or null for one chosen by the server
     * @return an Exec
     */
    public static Operation exec(String uri, String argument, String correlator) {
        return new Operation(OperationKind.EXEC, uri, null, argument, argument == null ? null : "chr", null,
                correlator, List.of());
    }

    /**
     * @param sourceUri the leaf to copy
     * @param targetUri the leaf to overwrite
     * @return a Copy
     */
    public static Operation copy(String sourceUri, String targetUri) {
        return new Operation(OperationKind.COPY, targetUri, sourceUri, null, null, null, null, List.of());
    }

    /**
     * @param operations the operations to apply all or nothing (no Get, Exec or Atomic)
     * @return an Atomic
     */
    public static Operation atomic(List<Operation> operations) {
        return new Operation(OperationKind.ATOMIC, null, null, null, null, null, null, operations);
    }

    /**
     * @param alert the user-interaction alert
     * @return an Alert
     * @since 2.1.0
     */
    public static Operation alert(UserAlert alert) {
        return new Operation(OperationKind.ALERT, null, null, alert.encoded(), null, null, null, List.of());
    }

    /**
     * @param text the message
     * @param minDisplaySeconds MINDT, or 0
     * @param maxDisplaySeconds MAXDT, or 0
     * @return an Alert 1100 (display)
     * @throws IllegalArgumentException when the alert is not valid ({@link UserAlert})
     * @since 2.1.0
     */
    public static Operation display(String text, int minDisplaySeconds, int maxDisplaySeconds) {
        return alert(UserAlert.builder(UiAlertKind.DISPLAY, text).minDisplaySeconds(minDisplaySeconds)
                .maxDisplaySeconds(maxDisplaySeconds).build());
    }

    /**
     * A confirmation: 200 means yes, 304 no, 214 cancelled, 408 no answer within MAXDT. It never carries a
     * default response.
     *
     * @param question the question
     * @param maxDisplaySeconds MAXDT, or 0 for the device's default
     * @return an Alert 1101 (confirm or reject)
     * @since 2.1.0
     */
    public static Operation confirm(String question, int maxDisplaySeconds) {
        return alert(UserAlert.builder(UiAlertKind.CONFIRM, question).maxDisplaySeconds(maxDisplaySeconds).build());
    }

    /**
     * @param prompt the prompt
     * @param maxLength MAXLEN, or 0
     * @param inputType IT, or null
     * @param echo ET, or null
     * @param maxDisplaySeconds MAXDT, or 0
     * @param defaultText DR, or null
     * @return an Alert 1102 (text input); the typed text comes back in the Status
     * @since 2.1.0
     */
    public static Operation textInput(String prompt, int maxLength, UserAlert.InputType inputType,
            UserAlert.Echo echo, int maxDisplaySeconds, String defaultText) {
        return alert(UserAlert.builder(UiAlertKind.TEXT_INPUT, prompt).maxLength(maxLength).inputType(inputType)
                .echo(echo).maxDisplaySeconds(maxDisplaySeconds).defaultResponse(defaultText).build());
    }

    /**
     * @param title the title
     * @param multiple true for a multiple choice (1104), false for a single choice (1103)
     * @param maxDisplaySeconds MAXDT, or 0
     * @param choices the choices, numbered from 1 in this order
     * @return an Alert 1103 or 1104; the chosen numbers come back in the Status
     * @since 2.1.0
     */
    public static Operation choice(String title, boolean multiple, int maxDisplaySeconds, List<String> choices) {
        return alert(UserAlert.builder(multiple ? UiAlertKind.MULTIPLE_CHOICE : UiAlertKind.SINGLE_CHOICE,
                title).maxDisplaySeconds(maxDisplaySeconds).choices(choices).build());
    }

    /**
     * @param operations the operations to run in order (no Sequence)
     * @return a Sequence
     * @since 2.1.0
     */
    public static Operation sequence(List<Operation> operations) {
        return new Operation(OperationKind.SEQUENCE, null, null, null, null, null, null, operations);
    }

    /**
     * @param operations the operations to run in order (no Sequence)
     * @return a Sequence
     * @since 2.1.0
     */
    public static Operation sequence(Operation... operations) {
        return sequence(List.of(operations));
    }

    /**
     * "Ask the user, and only if they agree do this": a Sequence of a confirmation (1101, no default response)
     * followed by the operations. The device skips them (215) unless the user answers yes; the job then fails
     * with what the user answered.
     *
     * @param question the question
     * @param maxDisplaySeconds MAXDT, how long the device waits for the answer (1 s to one day)
     * @param operations the operations done after a yes (no Sequence)
     * @return the Sequence
     * @since 2.1.0
     */
    public static Operation afterConsent(String question, int maxDisplaySeconds, Operation... operations) {
        if (maxDisplaySeconds <= 0) {
            throw new IllegalArgumentException("a consent prompt needs MAXDT");
        }
        if (operations.length == 0) {
            throw new IllegalArgumentException("nothing to do after the consent");
        }
        List<Operation> all = new java.util.ArrayList<>();
        all.add(confirm(question, maxDisplaySeconds));
        all.addAll(List.of(operations));
        return sequence(all);
    }

    /**
     * @return the user-interaction alert of an Alert, else empty
     * @since 2.1.0
     */
    public Optional<UserAlert> userAlert() {
        return kind == OperationKind.ALERT ? Optional.of(UserAlert.parse(data)) : Optional.empty();
    }

    /**
     * @param newType the Meta Type
     * @return a copy with that type
     */
    public Operation withType(String newType) {
        return new Operation(kind, target, source, data, format, newType, correlator, children);
    }

    /** @return how many operations this one counts with its children, depth first: the numbering of {@link OperationResult#index()} */
    public int size() {
        int n = 1;
        for (Operation c : children) {
            n += c.size();
        }
        return n;
    }
}

package org.cardinaldm.syncml.api.model;

import java.util.List;
import java.util.Objects;

/** Argument checks shared by the model records. */
final class Checks {
    private Checks() {
    }

    static String cmdId(String cmdId) {
        return nonEmpty(cmdId, "CmdID");
    }

    static String nonEmpty(String value, String element) {
        Objects.requireNonNull(value, element);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(element + " is empty");
        }
        return value;
    }

    static <T> List<T> atLeastOne(List<T> list, String element) {
        List<T> copy = List.copyOf(Objects.requireNonNull(list, element));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("at least one " + element + " is required");
        }
        return copy;
    }
}

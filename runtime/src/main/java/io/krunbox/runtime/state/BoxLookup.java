package io.krunbox.runtime.state;

import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.util.List;

/** Boxes as state.db records them, brought up to date with what really runs before each answer. */
public interface BoxLookup {
    /** The box of this id, id prefix or name; a clear error when there is none. */
    BoxRecord get(String idOrName);

    /** Every box ({@code all}) or the active ones. */
    List<BoxRecord> list(boolean all);
}

/** Boxes as recorded in state.db: recorded before anything is made, updated as they run,
 *  and left as a failed record with the reason when they cannot start. */
package io.krunbox.runtime.state;

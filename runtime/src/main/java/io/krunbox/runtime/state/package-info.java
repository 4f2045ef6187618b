/** Boxes as recorded in state.db: recorded before anything is made, updated as they run, left as a failed record
 *  with the reason when they cannot start, and kept for a while after removal. */
package io.krunbox.runtime.state;

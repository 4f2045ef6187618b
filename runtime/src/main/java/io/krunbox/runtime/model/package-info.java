/** Immutable records that describe what to run (boxes, isolation); no dependencies on the
 *  rest of krunbox, so every front end can build them. */
package io.krunbox.runtime.model;

/** The {@code krunbox} command: picocli commands over the runtime, with Docker's flag names,
 *  output shapes and exit codes (125 for krunbox's own errors). */
package io.krunbox.shell;

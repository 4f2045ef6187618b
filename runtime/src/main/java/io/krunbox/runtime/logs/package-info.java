/** A box's log: its output kept line by line with a timestamp and the stream it came on,
 *  read back by {@code logs} with --since, --until, --tail and -t. */
package io.krunbox.runtime.logs;

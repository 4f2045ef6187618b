/** The warm per-user server: the native client's calls, each run in this JVM with the caller's own stdio, environment and directory. */
package io.krunbox.shell.server;

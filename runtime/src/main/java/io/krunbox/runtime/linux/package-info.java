/** Linux system calls the JVM has no API for (openat2, statx, setns, ...), through JNA; with isolation.vm the only package that touches JNA. */
package io.krunbox.runtime.linux;
